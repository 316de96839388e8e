/**
 * A whole RFC 822 message as the sync stores it (RemoteMessage), for providers that hand over the
 * raw MIME (Gmail's `format=raw`, IMAP's BODY[]): the parsed fields, where it is, and attachment
 * metadata whose ids are their index in the parsed list (fetched again on demand).
 */
import type { ParsedMessage } from '../mime/parse';
import type { MessageState, RemoteMessage } from './types';

export interface RawMessageFacts {
  /** When the provider received it (what the mailbox sorts by); the Date header when unknown. */
  receivedAt: Date | null;
  size: number;
  /** The provider's own snippet, when the parsed body gave none. */
  snippet?: string;
}

export function remoteMessageOf(parsed: ParsedMessage, state: MessageState, facts: RawMessageFacts): RemoteMessage {
  const received = facts.receivedAt && !Number.isNaN(facts.receivedAt.getTime()) ? facts.receivedAt : null;
  const attachments = parsed.attachments.map((a, index) => ({
    providerAttachmentId: String(index),
    filename: a.filename,
    mimeType: a.mimeType,
    size: a.size,
    contentId: a.contentId,
    inline: a.inline,
  }));
  return {
    ...state,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    subject: parsed.subject,
    date: received ?? parsed.date ?? new Date(0),
    from: parsed.from,
    to: parsed.to,
    cc: parsed.cc,
    bcc: parsed.bcc,
    replyTo: parsed.replyTo,
    deliveredTo: parsed.deliveredTo,
    text: parsed.text,
    html: parsed.html,
    snippet: parsed.snippet || facts.snippet || '',
    size: facts.size,
    hasAttachments: attachments.some((a) => !a.inline),
    attachments,
  };
}
