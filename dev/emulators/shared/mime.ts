/**
 * A lenient RFC 5322 / MIME reader for what the emulated providers show of a stored message (the
 * Gmail payload tree, Graph's message JSON and attachments). It never throws: real mail is often
 * malformed (no boundary, bad base64, unknown charsets, 8-bit headers), and a provider still stores
 * and shows such a message with whatever it could read. The stored bytes are never changed.
 */
import { isUtf8 } from 'node:buffer';
import addressparser from 'nodemailer/lib/addressparser';

export interface MimeHeader {
  name: string;
  /** Unfolded; UTF-8 when the bytes are valid UTF-8, else Latin-1; encoded words left as they are. */
  value: string;
}

export interface MimePart {
  headers: MimeHeader[];
  /** Lower-case `type/subtype`; text/plain when missing or unreadable. */
  type: string;
  /** Content-Type parameters, names lower-cased, RFC 2231 and encoded words decoded. */
  params: Record<string, string>;
  /** '' | 'inline' | 'attachment' (lower-cased). */
  disposition: string;
  dispositionParams: Record<string, string>;
  /** Parameters that were RFC 2231 continuations (`filename*0*=`), by name; providers treat those differently. */
  continued: Set<string>;
  /** Content-Transfer-Encoding, lower-cased ('' when absent). */
  encoding: string;
  /** A leaf's body bytes, still transfer-encoded; empty for a multipart. */
  body: Buffer;
  parts: MimePart[];
}

const MAX_DEPTH = 25;

export function parseMime(raw: Buffer, depth = 0, defaultType = 'text/plain'): MimePart {
  const { headerEnd, bodyStart } = splitHead(raw);
  const headers = parseHeaders(raw.subarray(0, headerEnd));
  const part = describe(headers, defaultType);
  const body = raw.subarray(bodyStart);
  if (part.type.startsWith('multipart/')) {
    const chunks = part.params.boundary && depth < MAX_DEPTH ? splitMultipart(body, part.params.boundary) : undefined;
    if (chunks?.length) {
      const childDefault = part.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      part.parts = chunks.map((chunk) => parseMime(chunk, depth + 1, childDefault));
      return part;
    }
    // A multipart without a (usable) boundary is shown as the text it is.
    part.type = 'text/plain';
  }
  part.body = body;
  return part;
}

/** End of the header block and start of the body: the first empty line (CRLF or bare LF). */
function splitHead(raw: Buffer) {
  const text = raw.toString('latin1');
  if (/^\r?\n/.test(text)) return { headerEnd: 0, bodyStart: text.startsWith('\r\n') ? 2 : 1 };
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { headerEnd: raw.length, bodyStart: raw.length };
  return { headerEnd: match.index, bodyStart: match.index + match[0].length };
}

export function parseHeaders(block: Buffer): MimeHeader[] {
  const lines = block.toString('latin1').split(/\r?\n/);
  const out: { name: string; raw: string }[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1].raw += line;
    else {
      const colon = line.indexOf(':');
      // An mbox "From " line or other junk in the header block is skipped, not fatal.
      if (colon <= 0 || /\s/.test(line.slice(0, colon).trim()) || line.startsWith('From ')) continue;
      out.push({ name: line.slice(0, colon).trim(), raw: line.slice(colon + 1) });
    }
  }
  return out.map(({ name, raw }) => ({ name, value: bytesToText(Buffer.from(raw.trim(), 'latin1')) }));
}

function bytesToText(bytes: Buffer) {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

export function headerOf(part: Pick<MimePart, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return part.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function describe(headers: MimeHeader[], defaultType: string): MimePart {
  const ct = splitParams(headerOf({ headers }, 'content-type') || '');
  const cd = splitParams(headerOf({ headers }, 'content-disposition') || '');
  const type = /^[\w.+-]+\/[\w.+-]+$/.test(ct.value.toLowerCase()) ? ct.value.toLowerCase() : defaultType;
  const encoding = /^[\w-]+/.exec((headerOf({ headers }, 'content-transfer-encoding') || '').trim().toLowerCase())?.[0] || '';
  const continued = new Set([...ct.continued, ...cd.continued]);
  return { headers, type, params: ct.params, disposition: cd.value.toLowerCase(), dispositionParams: cd.params, continued, encoding, body: Buffer.alloc(0), parts: [] };
}

/** `value; a=1; b*0*=utf-8''x; b*1*=y` → value and decoded parameters. */
export function splitParams(header: string) {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (c === '\\' && quoted) current += c + (header[++i] ?? '');
    else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ';' && !quoted) {
      pieces.push(current);
      current = '';
    } else current += c;
  }
  pieces.push(current);
  const value = pieces.shift()!.trim();
  const plain: Record<string, string> = {};
  const sections: Record<string, { n: number; text: string; encoded: boolean; numbered: boolean }[]> = {};
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    let text = piece.slice(eq + 1).trim();
    if (text.startsWith('"')) text = text.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
    const ext = /^(.+?)\*(\d+)?(\*)?$/.exec(key);
    if (!ext) {
      plain[key] ??= text;
      continue;
    }
    const numbered = ext[2] !== undefined;
    (sections[ext[1]] ??= []).push({ n: Number(ext[2] ?? 0), text, encoded: !numbered || Boolean(ext[3]), numbered });
  }
  const params: Record<string, string> = {};
  for (const [key, text] of Object.entries(plain)) params[key] = decodeWords(text);
  const continued = new Set<string>();
  for (const [key, list] of Object.entries(sections)) {
    list.sort((a, b) => a.n - b.n);
    if (list.some((s) => s.numbered)) continued.add(key);
    let charset = 'utf-8';
    const bytes: Buffer[] = [];
    list.forEach((section, i) => {
      let text = section.text;
      if (section.encoded && i === 0) {
        const m = /^([^']*)'[^']*'(.*)$/s.exec(text);
        if (m) {
          charset = m[1] || charset;
          text = m[2];
        }
      }
      bytes.push(section.encoded ? percentDecode(text) : Buffer.from(text, 'utf8'));
    });
    params[key] = decodeText(Buffer.concat(bytes), charset);
  }
  return { value, params, continued };
}

function percentDecode(text: string) {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(out);
}

/** Splits a multipart body at `--boundary` lines; undefined when no delimiter line is found. */
function splitMultipart(body: Buffer, boundary: string): Buffer[] | undefined {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const chunks: Buffer[] = [];
  let start = -1;
  for (const at of lineStarts) {
    if (!text.startsWith(delimiter, at)) continue;
    const rest = text.slice(at + delimiter.length, text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at));
    const closing = rest.startsWith('--');
    // A longer boundary that merely starts with this one is not a delimiter.
    if (!/^\s*$/.test(closing ? rest.slice(2) : rest)) continue;
    if (start >= 0) {
      const end = at >= 2 && text[at - 2] === '\r' ? at - 2 : Math.max(start, at - 1);
      chunks.push(body.subarray(start, Math.max(start, end)));
    }
    if (closing) return chunks;
    const eol = text.indexOf('\n', at);
    start = eol === -1 ? text.length : eol + 1;
  }
  // No closing delimiter: the last part runs to the end.
  if (start >= 0) chunks.push(body.subarray(start));
  return chunks.length ? chunks : undefined;
}

/** The leaf's content bytes, transfer encoding undone (lenient: stray characters are ignored). */
export function decodeBody(part: MimePart): Buffer {
  if (part.encoding === 'base64') return Buffer.from(part.body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (part.encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

function decodeQuotedPrintable(bytes: Buffer) {
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x3d) {
      out[n++] = b;
      continue;
    }
    if (bytes[i + 1] === 0x0a) i += 1;
    else if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) i += 2;
    else {
      const hex = bytes.toString('latin1', i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 2;
      } else out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

const decoders = new Map<string, TextDecoder | null>();

/** Bytes in a named charset → text; unknown charsets fall back to UTF-8 (when valid) or Latin-1. */
export function decodeText(bytes: Buffer, charset?: string): string {
  const label = (charset || '').trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!label || /^(utf-?8|us-ascii|ascii)$/.test(label)) return bytesToText(bytes);
  if (!decoders.has(label)) {
    let decoder: TextDecoder | null = null;
    try {
      decoder = new TextDecoder(label);
    } catch {
      // An unknown label: handled below.
    }
    decoders.set(label, decoder);
  }
  const decoder = decoders.get(label);
  return decoder ? decoder.decode(bytes) : bytesToText(bytes);
}

/** The text of a text part in UTF-8, whatever its declared charset. */
export function textOf(part: MimePart): string {
  return decodeText(decodeBody(part), part.params.charset);
}

/** RFC 2047 encoded words → text; adjacent words (only whitespace between) join without it. */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  const pattern = /=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=/g;
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  const flush = () => {
    if (pending) out += decodeText(Buffer.concat(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    const gap = value.slice(last, m.index);
    if (!(pending && /^\s*$/.test(gap))) {
      flush();
      out += gap;
    }
    const charset = m[1].split('*')[0].toLowerCase();
    const bytes = m[2].toLowerCase() === 'b' ? Buffer.from(m[3], 'base64') : decodeQuotedPrintable(Buffer.from(m[3].replace(/_/g, ' '), 'latin1'));
    // Words in one charset are joined as bytes first: a multi-byte character may span two words.
    if (pending && pending.charset !== charset) flush();
    (pending ??= { charset, bytes: [] }).bytes.push(bytes);
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

export interface MailAddress {
  name: string;
  address: string;
}

/** An address header → mailboxes (groups flattened, display names decoded). */
export function parseAddresses(value: string | undefined): MailAddress[] {
  if (!value) return [];
  try {
    return addressparser(value, { flatten: true })
      .filter((a) => a.address || a.name)
      .map((a) => ({ name: decodeWords(a.name || ''), address: a.address || '' }));
  } catch {
    return [];
  }
}

/** Every leaf of the tree, depth first, with its Gmail-style part id ('' root, '0', '1.0', …). */
export function leaves(root: MimePart): { part: MimePart; partId: string; parent?: MimePart }[] {
  const out: { part: MimePart; partId: string; parent?: MimePart }[] = [];
  const visit = (part: MimePart, partId: string, parent?: MimePart) => {
    if (!part.parts.length) out.push({ part, partId, parent });
    part.parts.forEach((child, i) => visit(child, partId === '' ? String(i) : `${partId}.${i}`, part));
  };
  visit(root, '');
  return out;
}
