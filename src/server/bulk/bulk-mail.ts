/**
 * One recipient's mail as the provider seam takes it (OutgoingMessage): the job's templates
 * filled from the recipient's row, addressed to that recipient alone, under the recipient's own
 * Message-ID (the same for every attempt, see bulk-state.ts). The MIME comes from the send
 * pipeline's buildMime, so a bulk mail is built like any other.
 */
import type { MailAddress } from '../mime/parse';
import type { OutgoingMessage } from '../providers/types';
import { buildMime } from '../mime/build-mime';
import { fillHtml, fillSubject } from './variables';

export interface BulkMailInput {
  from: MailAddress;
  to: MailAddress;
  subjectTemplate: string;
  htmlTemplate: string;
  record: Record<string, unknown> | null;
  messageId: string;
}

export function bulkMail(input: BulkMailInput): OutgoingMessage {
  const subject = fillSubject(input.subjectTemplate, input.record);
  const html = fillHtml(input.htmlTemplate, input.record);
  const to = [input.to];
  let mime: Promise<Buffer> | undefined;
  return {
    from: input.from,
    to,
    cc: [],
    bcc: [],
    subject,
    html,
    attachments: [],
    messageId: input.messageId,
    inReplyTo: null,
    references: null,
    original: null,
    // Built once: the provider and the local copy read the same bytes.
    mime: () => (mime ??= buildMime({ from: input.from, to, cc: [], bcc: [], subject, html, files: [], messageId: input.messageId })),
  };
}
