/**
 * The RFC 5322 message of an outgoing mail (DESIGN §6), built with nodemailer's MailComposer:
 * From (the account or a verified alias), To/Cc/Bcc (Bcc kept: the provider reads it to deliver,
 * and keeps it only in the sender's copy), Subject, the HTML with a plain-text alternative, files,
 * inline images by Content-ID, threading headers and a Message-ID on the sender's domain.
 */
import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { htmlToPlainText } from './html-text';
import { offThread } from './parse-thread';
import type { AddressedMail, MailAddress } from './parse';

export interface MimeFile {
  filename: string;
  mimeType: string;
  /** A Buffer; a plain Uint8Array once it went through the worker thread. */
  content: Buffer | Uint8Array;
  /** Without angle brackets; set for an image the HTML shows in place. */
  contentId?: string;
  inline: boolean;
}

export interface MimeInput extends AddressedMail {
  /** The plain-text alternative; made from the HTML when absent. */
  text?: string;
  files: MimeFile[];
  messageId: string;
  inReplyTo?: string | null;
  references?: string | null;
  date?: Date;
}

/** `<time.random@domain>`: unique, and on the sender's domain as RFC 5322 suggests. */
export function newMessageId(fromAddress: string) {
  const domain = fromAddress.split('@')[1]?.toLowerCase() || 'localhost';
  return `<${Date.now().toString(36)}.${crypto.randomBytes(12).toString('hex')}@${domain}>`;
}

/**
 * The message's bytes. A large one (HTML and files of OFF_THREAD_MIN_BYTES or more) is built in
 * the worker thread: MailComposer encodes a body given as one string or Buffer in one go (the
 * quoted-printable of a 5 MB HTML body, and the scan that picks the encoding, held the event loop
 * about 250 ms), and so does the HTML-to-text of the plain-text alternative.
 */
export async function buildMime(input: MimeInput): Promise<Buffer> {
  const size = input.html.length + (input.text?.length ?? 0) + input.files.reduce((sum, f) => sum + f.content.byteLength, 0);
  const built = await offThread<Uint8Array>(size, { op: 'build', input }, [], () => buildMimeInPlace(input));
  return Buffer.isBuffer(built) ? built : Buffer.from(built.buffer, built.byteOffset, built.byteLength);
}

/** buildMime where it is called (the worker's `build` op, and small mail). */
export async function buildMimeInPlace(input: MimeInput): Promise<Buffer> {
  const address = (a: MailAddress) => ({ name: a.name || '', address: a.address });
  const composer = new MailComposer({
    from: address(input.from),
    to: input.to.map(address),
    cc: input.cc.map(address),
    bcc: input.bcc.map(address),
    subject: input.subject,
    html: input.html,
    text: input.text ?? htmlToPlainText(input.html),
    messageId: input.messageId,
    date: input.date ?? new Date(),
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(input.references ? { references: input.references } : {}),
    attachments: input.files.map((f) => ({
      filename: f.filename,
      contentType: f.mimeType,
      // Through the worker a Buffer arrives as a plain Uint8Array.
      content: Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength),
      // A Content-ID puts the image into the multipart/related part beside the HTML.
      ...(f.inline && f.contentId ? { cid: f.contentId, contentDisposition: 'inline' } : {}),
    })),
  });
  const root = composer.compile();
  root.keepBcc = true;
  return root.build();
}

