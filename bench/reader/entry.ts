/** What P8 loads into Chromium: the reader's own preparation code, as the mail center runs it. */
import { findCids, isLargeMail, mountMail, prepareMailHtml } from '../../src/client/mail-center/html-prep';
import { linkify, splitQuoted } from '../../src/client/mail-center/plain-text';

(window as any).__reader = { isLargeMail, findCids, prepareMailHtml, mountMail, linkify, splitQuoted };
