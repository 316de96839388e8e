/**
 * The RFC 5322 message of an outgoing mail (DESIGN §6), built with nodemailer's MailComposer:
 * From (the account or a verified alias), To/Cc/Bcc (Bcc kept: the provider reads it to deliver,
 * and keeps it only in the sender's copy), Subject, the HTML with a plain-text alternative, files,
 * inline images by Content-ID, threading headers and a Message-ID on the sender's domain.
 */
import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { htmlToPlainTextOffThread } from './parse-thread';
import type { AddressedMail, MailAddress } from './parse';

export interface MimeFile {
  filename: string;
  mimeType: string;
  content: Buffer;
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

export async function buildMime(input: MimeInput): Promise<Buffer> {
  const address = (a: MailAddress) => ({ name: a.name || '', address: a.address });
  const composer = new MailComposer({
    from: address(input.from),
    to: input.to.map(address),
    cc: input.cc.map(address),
    bcc: input.bcc.map(address),
    subject: input.subject,
    html: input.html,
    text: input.text ?? (await htmlToPlainTextOffThread(input.html)),
    messageId: input.messageId,
    date: input.date ?? new Date(),
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(input.references ? { references: input.references } : {}),
    attachments: input.files.map((f) => ({
      filename: f.filename,
      contentType: f.mimeType,
      content: f.content,
      // A Content-ID puts the image into the multipart/related part beside the HTML.
      ...(f.inline && f.contentId ? { cid: f.contentId, contentDisposition: 'inline' } : {}),
    })),
  });
  const root = composer.compile();
  root.keepBcc = true;
  return root.build();
}

