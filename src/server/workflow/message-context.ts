/**
 * `$context.message` of the "Email received" trigger (src/shared/workflow-api.ts MessageContext):
 * a stored mail as plain JSON that workflow variables can address. Addresses come as objects
 * and as one line of text; the body as plain text only (the HTML is hostile markup and stays
 * out of workflows), cut at CONTEXT_TEXT_MAX_CHARS because every execution stores its context.
 * Attachments are listed without their bytes (Outlook's are listed from the provider first).
 */
import { CONTEXT_TEXT_MAX_CHARS, type ContextAddress, type MessageContext } from '../../shared/workflow-api';
import type { Model } from '../db-types';
import type { AttachmentService } from '../messages/attachment-service';
import type { MailAddress } from '../mime/parse';
import { formatAddress } from '../send/addresses';
import { jsonValue, truthy } from '../send/stored-mail';

const addressOf = (a: MailAddress): ContextAddress => (a.name ? { address: a.address, name: a.name } : { address: a.address });
const listOf = (value: unknown) => jsonValue<MailAddress[]>(value, []).filter((a) => a && typeof a.address === 'string').map(addressOf);

function cut(text: string) {
  return text.length > CONTEXT_TEXT_MAX_CHARS ? `${text.slice(0, CONTEXT_TEXT_MAX_CHARS)}…` : text;
}

function isoDate(value: unknown) {
  const date = value ? new Date(value as string | Date) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** The context of each message (models of one account), in their order. */
export async function messageContexts(messages: Model[], account: Model, attachments: AttachmentService): Promise<MessageContext[]> {
  // Only mail that says it has files is asked for them (for Outlook, a provider call each).
  const files = await attachments.ofMessages(messages.filter((m) => truthy(m.get('hasAttachments'))));
  return messages.map((m) => {
    const fromValue = jsonValue<MailAddress | null>(m.get('from'), null);
    const from = fromValue?.address ? addressOf(fromValue) : null;
    const to = listOf(m.get('to'));
    const cc = listOf(m.get('cc'));
    const id = Number(m.get('id'));
    return {
      id,
      accountId: Number(m.get('accountId')),
      accountEmail: String(account.get('email')),
      userId: Number(account.get('userId')),
      from,
      fromText: from ? formatAddress(from) : '',
      to,
      toText: to.map(formatAddress).join(', '),
      cc,
      ccText: cc.map(formatAddress).join(', '),
      replyTo: listOf(m.get('replyTo')),
      subject: String(m.get('subject') ?? ''),
      text: cut(String(m.get('text') ?? '')),
      snippet: String(m.get('snippet') ?? ''),
      date: isoDate(m.get('date')),
      threadId: String(m.get('threadId') ?? ''),
      box: (m.get('box') as string | null) ?? null,
      internetMessageId: (m.get('messageId') as string | null) || null,
      hasAttachments: truthy(m.get('hasAttachments')),
      attachments: (files.get(id) || [])
        .filter((a) => !a.inline)
        .map((a) => ({ id: Number(a.id), filename: a.filename, mimeType: a.mimeType, size: Number(a.size) || 0 })),
    };
  });
}
