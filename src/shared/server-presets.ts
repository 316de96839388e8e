/**
 * Well-known mail services for "Connect other mailbox" (S-IMAP-1): choosing one fills the IMAP
 * and SMTP servers. All of them want an app password when the mailbox has two-step sign-in; the
 * README says where each one makes it.
 */
import type { ServerEndpoint } from './accounts-api';

export interface ServerPreset {
  id: string;
  name: string;
  imap: ServerEndpoint;
  smtp: ServerEndpoint;
  /** The service files sent mail in Sent itself (no copy is appended). */
  savesSent: boolean;
}

export const SERVER_PRESETS: ServerPreset[] = [
  {
    id: 'fastmail',
    name: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.fastmail.com', port: 465, security: 'tls' },
    savesSent: false,
  },
  {
    id: 'icloud',
    name: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.me.com', port: 587, security: 'starttls' },
    savesSent: true,
  },
  {
    id: 'yahoo',
    name: 'Yahoo Mail',
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
    savesSent: true,
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    imap: { host: 'imap.zoho.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.zoho.com', port: 465, security: 'tls' },
    savesSent: false,
  },
  {
    id: 'outlook-com',
    name: 'Outlook.com (IMAP)',
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
    savesSent: true,
  },
];

/** The usual ports: 993 IMAP over TLS, 143 IMAP with STARTTLS; 465 SMTP over TLS, 587 submission with STARTTLS. */
export const DEFAULT_PORTS = {
  imap: { tls: 993, starttls: 143 },
  smtp: { tls: 465, starttls: 587 },
} as const;
