/**
 * Sending through the account's SMTP server with nodemailer's SMTP transport: one connection
 * per mail (sends are rare and interactive; a pool would hold a login open for nothing).
 */
import nodemailer from 'nodemailer';
import type { AddressedMail } from '../../mime/parse';
import { mapSmtpError } from './errors';
import type { PasswordLogin } from './login';

/** Milliseconds: nodemailer waits 2 minutes for a connection by default, too long for a user waiting in the editor. */
export const SMTP_TIMEOUTS = { connect: 15_000, greeting: 15_000, socket: 60_000 };

export function smtpTransport(login: PasswordLogin) {
  const { smtp } = login;
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    // STARTTLS or fail: a password never crosses the wire in clear text.
    requireTLS: smtp.security === 'starttls',
    auth: { user: login.username, pass: login.password },
    connectionTimeout: SMTP_TIMEOUTS.connect,
    greetingTimeout: SMTP_TIMEOUTS.greeting,
    socketTimeout: SMTP_TIMEOUTS.socket,
    // nodemailer logs nothing unless told to; said explicitly, as the password is in these options.
    logger: false,
    debug: false,
  });
}

/**
 * Sends the finished MIME; the envelope names every recipient, Bcc ones included. The Bcc header
 * itself is taken out of what goes over SMTP (the MIME keeps it for the sender's Sent copy, and
 * not every server strips it). `size` lets nodemailer refuse a mail over the server's SIZE
 * before uploading it.
 */
export async function sendRaw(login: PasswordLogin, mail: AddressedMail, mime: Buffer) {
  const transport = smtpTransport(login);
  const raw = withoutBcc(mime);
  const envelope = {
    from: mail.from.address,
    to: mail.to.map((a) => a.address),
    cc: mail.cc.map((a) => a.address),
    bcc: mail.bcc.map((a) => a.address),
    size: raw.length,
  };
  try {
    return await transport.sendMail({ envelope, raw });
  } catch (error) {
    throw mapSmtpError(error, login.smtp, raw.length);
  } finally {
    transport.close();
  }
}

/** The SMTP half of the connection test: connect, STARTTLS/TLS, AUTH. */
export async function verifySmtp(login: PasswordLogin) {
  const transport = smtpTransport(login);
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}

/**
 * The message without its top-level Bcc field (and the field's folded continuation lines). Only
 * the header block is looked at, line by line: the body and every MIME part stay byte for byte.
 */
export function withoutBcc(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const headerEnd = end < 0 ? raw.length : end + 2;
  const lines = raw.subarray(0, headerEnd).toString('latin1').split(/(?<=\r\n)/);
  let dropping = false;
  const kept = lines.filter((line) => {
    const continuation = line.startsWith(' ') || line.startsWith('\t');
    if (!continuation) dropping = /^bcc:/i.test(line);
    return !dropping;
  });
  if (kept.length === lines.length) return raw;
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(headerEnd)]);
}
