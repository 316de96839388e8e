/**
 * The hostile corpus: mail bodies (≥ 300 vectors: script, remote loads, mutation XSS, breakouts,
 * SVG/MathML, head tricks, clobbering, UI redress), hostile strings for subjects, names,
 * attachment names, labels, signatures and templates, and the raw MIME to seed them into the
 * Gmail emulator. Used by __tests__/e2e/hostile-mail.e2e.ts and bench P8.
 *
 * Every vector is ours, built from categories × techniques after studying public collections
 * (see each vector's `source`); none of their files is copied or fetched at run time.
 */
import { eml } from '../helpers/threads';
import { DEFAULT_LEAK_ORIGIN, HostileVector, leakTarget } from './kit';
import { leakVectors } from './leak-vectors';
import { markupVectors } from './markup-vectors';
import { parserVectors, REGRESSION_STYLE_URL_HTML, REGRESSION_STYLE_URL_ID } from './parser-vectors';
import { scriptVectors } from './script-vectors';
import { HostileString, hostileFileNames, hostileStrings } from './strings';

export { DEFAULT_LEAK_ORIGIN, SAME_ORIGIN_MARK, vectorIdOfUrl, leakTarget } from './kit';
export type { HostileVector, LeakTarget } from './kit';
export { hostileStrings, hostileFileNames, headerInjectionStrings } from './strings';
export type { HostileString } from './strings';
export { REGRESSION_STYLE_URL_HTML, REGRESSION_STYLE_URL_ID };

export interface HostileMail {
  id: string;
  category: string;
  subject: string;
  html: string;
  fromName?: string;
  attachmentName?: string;
  source: string;
}

/** Every nth mail carries a hostile subject suffix / display name / attachment name. */
const SUBJECT_EVERY = 3;
const FROM_NAME_EVERY = 4;
const ATTACHMENT_EVERY = 9;

/** All body vectors, each id unique (checked). */
export function hostileVectors(leakOrigin: string = DEFAULT_LEAK_ORIGIN): HostileVector[] {
  const target = leakTarget(leakOrigin);
  const all = [...parserVectors(target), ...scriptVectors(), ...leakVectors(target), ...markupVectors(target)];
  const seen = new Set<string>();
  for (const v of all) {
    if (seen.has(v.id)) throw new Error(`hostile corpus: duplicate vector id ${v.id}`);
    seen.add(v.id);
  }
  return all;
}

/** Strings safe in a one-line header (no line breaks) for subjects and display names. */
const oneLine = (list: HostileString[]) => list.filter((s) => !/[\r\n]/.test(s.text));

/**
 * One mail per body vector. The subject starts with the vector id (so a reader page names its
 * vector); some subjects, display names and attachment names are hostile strings too.
 */
export function hostileMails(leakOrigin: string = DEFAULT_LEAK_ORIGIN): HostileMail[] {
  const subjects = oneLine(hostileStrings(leakOrigin, 'subject'));
  const names = oneLine(hostileStrings(leakOrigin, 'from'));
  const files = hostileFileNames(leakOrigin);
  return hostileVectors(leakOrigin).map((v, i) => {
    const mail: HostileMail = { id: v.id, category: v.category, source: v.source, subject: v.id, html: v.html };
    if (i % SUBJECT_EVERY === 1) mail.subject = `${v.id} ${subjects[Math.floor(i / SUBJECT_EVERY) % subjects.length].text}`;
    if (i % FROM_NAME_EVERY === 2) mail.fromName = names[Math.floor(i / FROM_NAME_EVERY) % names.length].text;
    if (i % ATTACHMENT_EVERY === 5) mail.attachmentName = files[Math.floor(i / ATTACHMENT_EVERY) % files.length].text;
    return mail;
  });
}

/** The vector id a subject shown by the app belongs to (subjects start with it). */
export function vectorIdOfSubject(subject: string): string {
  return subject.trim().split(/\s/)[0];
}

export interface MimeOptions {
  /** The mailbox the mail is addressed to. */
  to: string;
  date: Date;
}

/** RFC 5322 bytes of one hostile mail, built with the tests' own MIME helper (nodemailer). */
export function hostileMime(mail: HostileMail, options: MimeOptions): Promise<Buffer> {
  return eml({
    from: { name: mail.fromName ?? 'Hostile Sender', address: 'sender@hostile.test' },
    to: options.to,
    subject: mail.subject,
    html: mail.html,
    messageId: `<${mail.id}@hostile.test>`,
    date: options.date,
    attachments: mail.attachmentName ? [{ filename: mail.attachmentName, content: Buffer.from('hostile attachment\n'), contentType: 'application/octet-stream' }] : [],
  });
}

/** Raw MIME of the whole corpus, newest first by index (mail 0 is the newest). */
export async function hostileMailbox(leakOrigin: string, to: string, newest = new Date(Date.UTC(2025, 5, 1))) {
  const mails = hostileMails(leakOrigin);
  const raw = await Promise.all(mails.map((mail, i) => hostileMime(mail, { to, date: new Date(newest.getTime() - i * 60_000) })));
  return { mails, raw };
}
