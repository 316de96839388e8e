import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMime, type ParsedMessage } from '../../src/server/mime/parse';
import { CORPUS_DIR } from '../helpers/corpus';
import { corpusFiles, pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * Corpus acceptance (S-SYNC-5): every fixture, served by the Gmail emulator and synced through
 * googleapis, is stored; and what is stored equals what an independent parser reads from the same
 * bytes: Python's stdlib `email` (__tests__/helpers/independent_parse.py; its header says how it
 * tells body text from files). Both sides are normalised the same way before comparing:
 *  - subject: whitespace runs collapsed to one space, trimmed, NFC;
 *  - from / to: lower-cased addr-specs, groups flattened, strings without "@" are no mailbox;
 *    From is the first mailbox (the row keeps one); To is the ordered list of all To headers;
 *  - date: the Date header, in UTC to the second (null when missing or unreadable). The row's
 *    `date` is Gmail's internalDate (arrival, what lists sort by), so the header date is taken from
 *    parseMime() of the raw the emulator served, i.e. what the sync parsed;
 *  - attachments, in document order: NFC file name (an unnamed part gets the app's documented
 *    fallback `attachment.<subtype>`, rfc822 → eml) and size = decoded byte length. Exception:
 *    bodies whose line breaks belong to the encoding, not the data (7bit/8bit/binary/QP: canonical
 *    CRLF, RFC 2045 6.7, RFC 2046 4.1.1) and calendar parts (kept as UTF-8 text): postal-mime hands
 *    these out as LF-ended lines, so their size is compared without CR/LF bytes on both sides
 *    (the app side: the content parseMime() gives for the served raw, whose length must equal
 *    the stored size).
 * Where the two parsers legitimately read a malformed file differently, ALLOWED says which one is
 * right and pins our value; an entry that stops being needed fails the test too.
 */
type Field = 'subject' | 'from' | 'to' | 'date' | 'attachments';
type Allowance = { why: string; ours: unknown };

const ALLOWED: Record<string, Partial<Record<Field, Allowance>>> = {
  'enmime__bad-header-wrap.eml': {
    attachments: { why: 'ours: the `name=` line lost its folding space; postal-mime reads on to Content-Disposition and decodes PGh0bWw+Cg== (7 bytes), Python ends the headers there and takes the rest as a 63-byte body', ours: ['7DDA4_foo_9E5D72.zip 7'] },
  },
  'mail__attachment_with_base64_encoded_name.eml': {
    attachments: { why: 'ours: `filename==?utf-8?B?…?=` is an unquoted encoded-word (not a valid token); postal-mime decodes the intended "This is a test.pdf", Python drops the parameter', ours: ['This is a test.pdf 399'] },
  },
  'mimekit__disposition-notification.eml': {
    date: { why: 'ours: in `00:19:00 (EDT) -0400` the comment is CFWS and the zone is -0400 → 04:19Z; Python takes the comment for the zone and gives 00:19Z', ours: '1995-09-20T04:19:00Z' },
  },
  // The file starts with a UTF-8 BOM glued to "From:": Python then sees no header at all and reads
  // the whole file as body; postal-mime skips only that From line. Ours is right for all four.
  'mimekit__feedback-report.eml': {
    subject: { why: 'ours: BOM before the first header (see above); Python has no Subject', ours: 'FW: Earn money' },
    to: { why: 'ours: BOM before the first header; Python has no To', ours: ['abuse@example.net'] },
    date: { why: 'ours: BOM before the first header; Python has no Date', ours: '2005-03-08T21:40:36Z' },
    attachments: { why: 'ours: BOM before the first header; Python sees no parts', ours: ['attachment.feedback-report 463', 'attachment.eml 434'] },
  },
  'mimekit__missing-subtype.eml': {
    attachments: { why: 'Python, by the letter: `Content-Type: application-x-gzip` has no subtype, so RFC 2045 5.2 makes it text/plain (body); postal-mime keeps the part as the file it names — nothing is lost', ours: ['document.xml.gz 15'] },
  },
  'phpmmp__issue116.eml': {
    subject: { why: 'ours: the ISO-2022-JP word uses NEC row 13 (№ = 0x2D62, CP50220), which WHATWG decoders know and Python’s codec refuses, leaving the word undecoded', ours: 'ЖД№41 от 28.09.2016' },
  },
  'phpmmp__issue149.eml': {
    subject: { why: 'ours: iso-8859-8-i (RFC 1556, logical-order Hebrew) is iso-8859-8 bytes; Python does not know the label and prints U+FFFD', ours: "מענה 'אני לא נמצא': Invoice 02722027" },
  },
  'phpmmp__m0018.eml': {
    attachments: { why: 'ours: the JPEG base64 is 233 chars (4n+1, truncated); postal-mime decodes the 58 whole quanta (174 bytes), Python gives up and returns the 233 chars undecoded', ours: ['사진.JPG 174', 'ATT00001.txt 25'] },
  },
  'spamscope__mail_test_19.eml': {
    from: { why: 'ours: in `alice@example.com <bob@example.com>` the mailbox is the angle-addr; the bare @ before it is a malformed display name (a spoofing sample) Python reads as the address', ours: 'bob@example.com' },
  },
  'spamscope__mail_test_9.eml': {
    subject: { why: 'ours: labelled gb2312 but holds 屄 (GBK only); WHATWG maps the gb2312 label to GBK, Python’s strict gb2312 codec gives U+FFFD', ours: '我把镜头拉近些，你们看看这个是什么屄，这种场合自然少不了内射' },
  },
};

interface Reference {
  file: string;
  subject: string;
  from: string[];
  to: string[];
  date: string | null;
  attachments: { filename: string | null; contentType: string; size: number; lineOriented: boolean; bareSize: number | null }[];
  errors: Record<string, string>;
}

const SCRIPT = path.resolve(__dirname, '../helpers/independent_parse.py');
const EMAIL = 'corpus@gmail.test';
const nfc = (s: string) => s.normalize('NFC');
const subjectOf = (s: string | null | undefined) => nfc((s || '').replace(/\s+/g, ' ').trim());
const mailboxes = (list: { address: string }[]) => list.map((a) => a.address.toLowerCase()).filter((a) => a.includes('@'));
const second = (d: Date | null) => (d ? d.toISOString().slice(0, 19) + 'Z' : null);
const withoutBreaks = (bytes: Uint8Array) => bytes.filter((b) => b !== 0x0a && b !== 0x0d).length;
const fallbackName = (mimeType: string) => `attachment.${mimeType.split('/')[1] === 'rfc822' ? 'eml' : mimeType.split('/')[1]}`;
const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);

function independentParse(files: string[]): Reference[] {
  const out = execFileSync('python3', [SCRIPT, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.trim().split('\n').map((line) => JSON.parse(line));
}

describe('Gmail sync of the MIME corpus, checked against Python’s email package', () => {
  let w: MailWorld<'corpus'>;
  let app: MockServer;
  let accountId: number;
  let files: string[];
  let ids: string[];
  let references: Reference[];

  beforeAll(async () => {
    files = corpusFiles();
    expect(files.length, `fixtures in ${CORPUS_DIR}`).toBe(109);
    references = independentParse(files);
    w = await mailWorld({
      seed: 'sync-corpus',
      google: true,
      users: { google: [{ email: EMAIL, displayName: 'Corpus' }] },
      mailboxes: ({ google }) => {
        ids = google.seed(EMAIL, { eml: files, labelIds: ['INBOX'], dates: (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3600_000) });
      },
      connect: { corpus: { provider: 'gmail', email: EMAIL } },
    });
    ({ app, accounts: { corpus: accountId } } = w);
  });
  afterAll(() => w?.close());

  it('imports every file without error: one row per emulator id', async () => {
    const result = await pluginOf(app).scheduler.runLocked(accountId, 'initial');
    expect(result?.error).toBeUndefined();
    expect(result?.outcome).toBe('ok');
    const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId }, attributes: ['providerMessageId'], raw: true });
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual([...ids].sort());
    expect(references.map((r) => r.errors)).toEqual(files.map(() => ({})));
  });

  it('stores subject, from, to, date and attachments as the independent parser reads them', async () => {
    const plugin = pluginOf(app);
    const account = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId });
    const gmail = (await plugin.accounts.provider('gmail')).gmail(await plugin.accounts.credentialsOf(account));
    const problems: string[] = [];
    const used = new Set<string>();

    for (const [i, file] of files.entries()) {
      const name = path.basename(file);
      const ref = references[i];
      const served = await gmail.users.messages.get({ userId: 'me', id: ids[i], format: 'raw' });
      const raw = Buffer.from(served.data.raw!, 'base64url');
      expect(raw.equals(fs.readFileSync(file)), `${name}: served bytes`).toBe(true);
      const parsed: ParsedMessage = await parseMime(raw);
      expect(parsed.parseError, `${name}: postal-mime refused it`).toBeUndefined();

      const row = (await app.db.getRepository('mailMessages').findOne({ filter: { accountId, providerMessageId: ids[i] } })).toJSON();
      expect(second(new Date(row.date)), `${name}: internalDate`).toBe(second(new Date(Date.UTC(2024, 0, 1) + i * 3600_000)));
      const stored: any[] = (await app.db.getRepository('mailAttachments').find({ filter: { messageId: row.id }, sort: ['id'] })).map((a: any) => a.toJSON());
      expect(stored.map((a) => a.providerAttachmentId), `${name}: attachment order`).toEqual(parsed.attachments.map((_, k) => String(k)));

      const label = (filename: string, size: number, lineOriented: boolean | undefined) => `${nfc(filename)} ${lineOriented ? 'text:' : ''}${size}`;
      const ours: Record<Field, unknown> = {
        subject: subjectOf(row.subject),
        from: mailboxes(json(row.from) ? [json(row.from)] : [])[0] ?? null,
        to: mailboxes(json(row.to) || []),
        date: second(parsed.date),
        attachments: stored.map((a, k) => {
          expect(a.size, `${name}: stored size of ${a.filename}`).toBe(parsed.attachments[k].content.byteLength);
          const lineOriented = ref.attachments[k]?.lineOriented;
          return label(a.filename, lineOriented ? withoutBreaks(parsed.attachments[k].content) : a.size, lineOriented);
        }),
      };
      const theirs: Record<Field, unknown> = {
        subject: subjectOf(ref.subject),
        from: ref.from[0] ?? null,
        to: ref.to,
        date: ref.date,
        attachments: ref.attachments.map((a) => label(a.filename ?? fallbackName(a.contentType), a.lineOriented ? a.bareSize! : a.size, a.lineOriented)),
      };
      for (const field of Object.keys(ours) as Field[]) {
        const allowed = ALLOWED[name]?.[field];
        const same = JSON.stringify(ours[field]) === JSON.stringify(theirs[field]);
        if (allowed) {
          used.add(`${name}:${field}`);
          if (same) problems.push(`${name} ${field}: allow-listed but the parsers now agree`);
          else if (JSON.stringify(ours[field]) !== JSON.stringify(allowed.ours)) problems.push(`${name} ${field}: ours ${JSON.stringify(ours[field])}, allow-list pins ${JSON.stringify(allowed.ours)}`);
        } else if (!same) {
          problems.push(`${name} ${field}: ours ${JSON.stringify(ours[field])} ≠ python ${JSON.stringify(theirs[field])}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const declared = Object.entries(ALLOWED).flatMap(([file, fields]) => Object.keys(fields).map((field) => `${file}:${field}`));
    expect(declared.filter((entry) => !used.has(entry))).toEqual([]);
  });
});
