/**
 * Gmail search (`q`) for messages.list and threads.list: the operators a sync and a mail client
 * use. Dates written as YYYY/MM/DD mean midnight Pacific time, as Gmail documents (the reason to
 * send epoch seconds instead); `after:` is inclusive, `before:` exclusive. Words that are not
 * operators match subject, sender and body text. Unknown operators are treated as words.
 */
import { plainTextOf } from '../shared/message-summary';
import type { GmailMailbox, GmailMessage } from './mailbox';

type Test = (m: GmailMessage) => boolean;

export interface CompiledQuery {
  test: Test;
  /** The query asks for spam or trash itself (in:spam, in:trash, in:anywhere). */
  includesSpamTrash: boolean;
}

/** Gmail documents "midnight PST"; a fixed UTC−8 offset keeps the emulator independent of DST tables. */
const PACIFIC_OFFSET_MS = 8 * 3_600_000;

const IN_NAMES: Record<string, string> = {
  inbox: 'INBOX',
  sent: 'SENT',
  draft: 'DRAFT',
  drafts: 'DRAFT',
  spam: 'SPAM',
  trash: 'TRASH',
  starred: 'STARRED',
  important: 'IMPORTANT',
  unread: 'UNREAD',
  chat: 'CHAT',
  chats: 'CHAT',
};

const CATEGORIES: Record<string, string> = {
  primary: 'CATEGORY_PERSONAL',
  personal: 'CATEGORY_PERSONAL',
  social: 'CATEGORY_SOCIAL',
  promotions: 'CATEGORY_PROMOTIONS',
  updates: 'CATEGORY_UPDATES',
  forums: 'CATEGORY_FORUMS',
};

export function compileQuery(q: string, mailbox: GmailMailbox): CompiledQuery {
  const tokens = q.match(/-?[\w]+:"[^"]*"|-?[\w]+:\([^)]*\)|-?"[^"]*"|\S+/g) || [];
  const tests: Test[] = [];
  let includesSpamTrash = false;
  for (const token of tokens) {
    if (token === 'AND' || token === 'OR') continue; // OR is rare in sync queries; treated as AND
    const negated = token.startsWith('-') && token.length > 1;
    const body = negated ? token.slice(1) : token;
    const colon = body.indexOf(':');
    const op = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
    const value = (colon > 0 ? body.slice(colon + 1) : body).replace(/^["(]|[")]$/g, '');
    const test = operator(op, value, mailbox);
    if (!negated && (op === 'in' || op === 'label') && ['spam', 'trash', 'anywhere'].includes(value.toLowerCase())) includesSpamTrash = true;
    const chosen = test ?? wordTest(body.replace(/^"|"$/g, ''), mailbox);
    tests.push(negated ? (m) => !chosen(m) : chosen);
  }
  return { test: (m) => tests.every((t) => t(m)), includesSpamTrash };
}

function operator(op: string, value: string, mailbox: GmailMailbox): Test | undefined {
  const lower = value.toLowerCase();
  switch (op) {
    case 'after':
    case 'before': {
      const at = timeOf(value);
      if (at === undefined) return () => false;
      return op === 'after' ? (m) => m.internalDate >= at : (m) => m.internalDate < at;
    }
    case 'newer_than':
    case 'older_than': {
      const age = ageOf(lower);
      if (age === undefined) return () => false;
      const at = Date.now() - age;
      return op === 'newer_than' ? (m) => m.internalDate >= at : (m) => m.internalDate < at;
    }
    case 'in':
    case 'label': {
      if (lower === 'anywhere') return () => true;
      const id = IN_NAMES[lower] || labelIdByName(mailbox, value);
      return id ? (m) => m.labelIds.includes(id) : () => false;
    }
    case 'is': {
      if (lower === 'read') return (m) => !m.labelIds.includes('UNREAD');
      const id = IN_NAMES[lower];
      return id ? (m) => m.labelIds.includes(id) : () => false;
    }
    case 'category': {
      const id = CATEGORIES[lower];
      return id ? (m) => m.labelIds.includes(id) : () => false;
    }
    case 'has':
      if (lower === 'attachment') return (m) => mailbox.summaryOf(m).attachments.some((a) => a.filename !== '');
      if (lower === 'userlabels') return (m) => m.labelIds.some((l) => l.startsWith('Label_'));
      if (lower === 'nouserlabels') return (m) => !m.labelIds.some((l) => l.startsWith('Label_'));
      return () => false;
    case 'from':
    case 'to':
    case 'cc':
    case 'bcc':
      return (m) => {
        const s = mailbox.summaryOf(m);
        const list = op === 'from' ? (s.from ? [s.from] : []) : s[op];
        return list.some((a) => `${a.name} <${a.address}>`.toLowerCase().includes(lower));
      };
    case 'subject':
      return (m) => m.info.subject.toLowerCase().includes(lower);
    case 'rfc822msgid':
      return (m) => (m.info.messageId || '').replace(/[<>]/g, '') === value.replace(/[<>]/g, '');
    case 'larger':
    case 'smaller': {
      const size = sizeOf(lower);
      return op === 'larger' ? (m) => m.raw.length > size : (m) => m.raw.length < size;
    }
    default:
      return undefined;
  }
}

/** Words match subject, sender and text, case-insensitively. */
function wordTest(word: string, mailbox: GmailMailbox): Test {
  const lower = word.toLowerCase();
  return (m) => {
    if (m.info.subject.toLowerCase().includes(lower)) return true;
    const s = mailbox.summaryOf(m);
    return `${s.from?.name} ${s.from?.address}`.toLowerCase().includes(lower) || plainTextOf(s).toLowerCase().includes(lower);
  };
}

/** A user label by its name as written in a query: case-insensitive, '-' for spaces and '/'. */
function labelIdByName(mailbox: GmailMailbox, value: string) {
  const norm = (s: string) => s.toLowerCase().replace(/[\s/]+/g, '-');
  return [...mailbox.labels.values()].find((l) => norm(l.name) === norm(value) || l.id === value)?.id;
}

/** Epoch seconds, or a date YYYY/MM/DD (also with '-'), or MM/DD/YYYY, at midnight Pacific. */
export function timeOf(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + PACIFIC_OFFSET_MS;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) + PACIFIC_OFFSET_MS;
  return undefined;
}

function ageOf(value: string) {
  const m = /^(\d+)([dmy])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { d: 86_400_000, m: 30 * 86_400_000, y: 365 * 86_400_000 }[m[2] as 'd' | 'm' | 'y'];
}

function sizeOf(value: string) {
  const m = /^(\d+)([km]?)$/.exec(value);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 'm' ? 1_048_576 : m[2] === 'k' ? 1024 : 1);
}
