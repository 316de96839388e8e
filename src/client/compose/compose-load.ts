/**
 * What a compose window opens with: a new mail (optionally prefilled), a reply, reply-all or
 * forward prefilled by the server (S-SEND-6…8), or a saved draft (S-DRAFT-1).
 */
import type { BulkSource } from '../../shared/bulk-api';
import type { ScheduledView } from '../../shared/compose-api';
import type { AttachmentView } from '../../shared/mail-center-api';
import type { ComposeMode, RecipientsInput } from '../../shared/send-api';
import { normalizeRecipients, Recipient, toRecipient } from './addresses';
import { plainTextToHtml, splitQuote, toEditorHtml } from './body-html';
import type { ComposeApi } from './compose-api';
import { classifyStored, cleanCid, ComposeFile, storedFile } from './compose-files';

/**
 * Bulk send from a page (S-BULK-1…3): one separate mail per recipient, from the rows of a
 * collection. With it the editor has no To/Cc/Bcc, attachments or drafts; it shows the number of
 * recipients and "Bulk send" instead of Send, offers "Insert variable" for `{{record.<field>}}` in
 * subject and body, and creates a `mailMassMessages:create` job (Schedule send sets its `sendAt`).
 */
export interface BulkComposeOptions {
  /** The selected rows (`filterByTk`) or all records (`all` + `filter`) and their email fields. */
  source: BulkSource;
  /** How many rows were picked, shown until the server's count (mailMassMessages:preview) arrives. */
  count?: number;
  /** Fields offered by "Insert variable": `name` as in `{{record.name}}`, `title` as shown. */
  fields?: { name: string; title?: string }[];
}

/**
 * What `openCompose` takes (the mail center, and page blocks and actions).
 *
 * For page blocks (helper H4): `openCompose({ to: 'a@x.com, b@y.org', accountId?, subject? })`
 * opens a new mail with To prefilled; `openCompose({ bulk: { source: { collection, emailFieldNames,
 * filterByTk } , count, fields } })` opens a bulk send (see BulkComposeOptions). Get `openCompose`
 * from `useComposeContext()` (ComposeProvider, an app provider, so it is there on every page).
 */
export interface OpenComposeOptions {
  /** Default 'new'; a reply mode needs `replyToMessageId`. Ignored when `draftId` is given. */
  mode?: ComposeMode;
  replyToMessageId?: number;
  /** A saved draft to continue (its mailMessages id). */
  draftId?: number;
  /** The preferred sending account (the one selected in the mail center). */
  accountId?: number;
  to?: RecipientsInput;
  cc?: RecipientsInput;
  bcc?: RecipientsInput;
  subject?: string;
  /** Starting text of a new mail (the Email send block's default content): plain text, one paragraph per line. */
  body?: string;
  /** Bulk send instead of one mail (then mode, replyToMessageId, draftId, to and cc are ignored). */
  bulk?: BulkComposeOptions;
}

/** A window's title before a subject is typed (the English text is the translation key). */
export const MODE_TITLE: Record<ComposeMode, string> = { new: 'New message', reply: 'Reply', replyAll: 'Reply all', forward: 'Forward' };

export interface ComposeInit {
  mode: ComposeMode;
  replyToMessageId: number | null;
  draftId: number | null;
  /** The sender fixed by the server (a reply's receiving identity, a draft's From). */
  accountId: number | null;
  from: string | null;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  subject: string;
  /** The editor's starting HTML (inline images as local URLs). */
  body: string;
  /** The server's quote, shown read-only below the editor; '' for none. */
  quote: string;
  /** Whose `cid:` images the quote shows, and their parts. */
  quoteMessageId: number | null;
  quoteAttachments: AttachmentView[];
  files: ComposeFile[];
  /** Local URLs made for the editor's images; revoked when the window closes. */
  objectUrls: string[];
  /** A draft opened from the Scheduled box: when it goes out (S-SCHED-2 offers to cancel). */
  scheduled: ScheduledView | null;
  bulk: BulkComposeOptions | null;
}

/** The Scheduled box's entry of a draft, if it is waiting or failed; the draft opens all the same without it. */
async function scheduleOf(api: ComposeApi, accountId: number, draftId: number): Promise<ScheduledView | null> {
  try {
    return (await api.listScheduled(accountId)).find((s) => s.id === draftId) || null;
  } catch {
    return null;
  }
}

const toList = (input: RecipientsInput | undefined): Recipient[] =>
  input == null ? [] : normalizeRecipients(Array.isArray(input) ? input : [input]);

/** Local URLs for the stored images the body shows; one that fails to load stays a broken image. */
async function editorImageUrls(api: ComposeApi, files: ComposeFile[]) {
  const urls: Record<string, string> = {};
  await Promise.all(
    files.map(async (f) => {
      if (f.kind !== 'stored' || !f.editorImage || !f.contentId) return;
      try {
        const blob = await api.download(f.attachmentId);
        const typed = blob.type.startsWith('image/') ? blob : new Blob([blob], { type: f.mimeType || 'image/png' });
        urls[cleanCid(f.contentId)] = URL.createObjectURL(typed);
      } catch {
        // The draft opens all the same.
      }
    }),
  );
  return urls;
}

function fromStored(html: string, attachments: AttachmentView[]) {
  const { body, quote } = splitQuote(html);
  const files = classifyStored(attachments.map((a) => storedFile(a)), body, quote);
  return { body, quote, files };
}

export async function loadCompose(api: ComposeApi, options: OpenComposeOptions): Promise<ComposeInit> {
  if (options.draftId && !options.bulk) {
    const draft = await api.openDraft(options.draftId);
    const { body, quote, files } = fromStored(draft.html || '', draft.attachments || []);
    const [urls, scheduled] = await Promise.all([editorImageUrls(api, files), scheduleOf(api, draft.accountId, draft.id)]);
    return {
      mode: draft.mode,
      replyToMessageId: draft.replyToMessageId,
      draftId: draft.id,
      accountId: draft.accountId,
      from: draft.from,
      to: draft.to.map(toRecipient),
      cc: draft.cc.map(toRecipient),
      bcc: draft.bcc.map(toRecipient),
      subject: draft.subject || '',
      body: toEditorHtml(body, urls, cleanCid),
      quote,
      quoteMessageId: draft.id,
      quoteAttachments: draft.attachments || [],
      files,
      objectUrls: Object.values(urls),
      scheduled,
      bulk: null,
    };
  }
  const mode = !options.bulk && options.mode && options.mode !== 'new' && options.replyToMessageId ? options.mode : 'new';
  if (mode !== 'new') {
    const reply = await api.replyDraft(options.replyToMessageId!, mode);
    const { body, quote, files } = fromStored(reply.html || '', reply.attachments || []);
    // The server's html is the quote alone; anything before it is not the user's text yet.
    const quoteHtml = quote || (body ? `<div class="email-manager-quote">${body}</div>` : '');
    return {
      mode,
      replyToMessageId: reply.replyToMessageId,
      draftId: null,
      accountId: reply.accountId,
      from: reply.from,
      to: reply.to.map(toRecipient),
      cc: reply.cc.map(toRecipient),
      bcc: reply.bcc.map(toRecipient),
      subject: reply.subject || '',
      body: '',
      quote: quoteHtml,
      quoteMessageId: reply.replyToMessageId,
      quoteAttachments: reply.attachments || [],
      files: files.map((f) => (f.editorImage ? { ...f, editorImage: false, quoteImage: true } : f)),
      objectUrls: [],
      scheduled: null,
      bulk: null,
    };
  }
  return {
    mode: 'new',
    replyToMessageId: null,
    draftId: null,
    accountId: options.accountId ?? null,
    from: null,
    to: options.bulk ? [] : toList(options.to),
    cc: options.bulk ? [] : toList(options.cc),
    bcc: options.bulk ? [] : toList(options.bcc),
    subject: options.subject || '',
    body: options.body ? plainTextToHtml(options.body) : '',
    quote: '',
    quoteMessageId: null,
    quoteAttachments: [],
    files: [],
    objectUrls: [],
    scheduled: null,
    bulk: options.bulk || null,
  };
}
