/** The editor's calls (src/shared/send-api.ts, compose-api.ts, bulk-api.ts) through the client's one request helper. */
import { bytes, call, type Requester } from '../api';
import { BULK_ACTIONS, type BulkCreateInput, type BulkJobView, type BulkPreview } from '../../shared/bulk-api';
import { MAIL_CENTER_ACTIONS as MAIL, type Address } from '../../shared/mail-center-api';
import {
  COMPOSE_ACTIONS as EXTRAS,
  type ComposeSettings,
  type FindDraftQuery,
  type FoundDraft,
  type ScheduledDraft,
  type ScheduledView,
  type ScheduleInput,
  type SignatureInput,
  type SignatureView,
  type TemplateInput,
  type TemplateView,
} from '../../shared/compose-api';
import { SEND_ACTIONS as SEND, type DraftInput, type DraftView, type ReplyDraft, type SavedDraft, type SendInput, type SendResult, type UploadView } from '../../shared/send-api';

/** Every editor action of src/shared/send-api.ts, typed, plus what the editor reads besides. */
export interface ComposeApi {
  /** One file, multipart; `onProgress` gets 0…1. */
  upload(file: File, onProgress?: (fraction: number) => void): Promise<UploadView>;
  deleteUpload(id: string): Promise<void>;
  replyDraft(messageId: number, mode: ReplyDraft['mode']): Promise<ReplyDraft>;
  send(input: SendInput): Promise<SendResult>;
  saveDraft(input: DraftInput): Promise<SavedDraft>;
  openDraft(draftId: number): Promise<DraftView>;
  deleteDraft(draftId: number): Promise<void>;
  /** The bytes of a stored attachment (a draft's or a quoted mail's inline image, for the editor). */
  download(attachmentId: number): Promise<Blob>;
  /** The bytes of a `cid:` image of a stored mail (the quote below a reply shows them). */
  inlineImage(messageId: number, cid: string): Promise<Blob>;
  /** The user's past correspondents whose address or a name word starts with `q` (S-SEND-4), best first. */
  suggestAddresses(q: string): Promise<Address[]>;
  /** The user's auto-save switch (S-DRAFT-2), kept on the server for every browser. */
  settings(): Promise<ComposeSettings>;
  setSettings(settings: ComposeSettings): Promise<ComposeSettings>;
  /** S-DRAFT-3: the user's newest draft for the same sender, recipients and original, if any. */
  findDraft(query: FindDraftQuery): Promise<FoundDraft | null>;
  /** S-SIG-1: the user's signatures (with an account: its own and the general ones). */
  signatures(accountId?: number): Promise<SignatureView[]>;
  /** The signature a new mail from the account starts with, or null. */
  defaultSignature(accountId: number): Promise<SignatureView | null>;
  saveSignature(input: SignatureInput): Promise<SignatureView>;
  removeSignature(id: number): Promise<void>;
  /** S-TPL-1: the user's templates. */
  templates(): Promise<TemplateView[]>;
  saveTemplate(input: TemplateInput): Promise<TemplateView>;
  removeTemplate(id: number): Promise<void>;
  /** S-SCHED-1/2: schedule the compose (saved as a draft), list what waits, cancel back to Drafts. */
  schedule(input: ScheduleInput): Promise<ScheduledDraft>;
  listScheduled(accountId?: number): Promise<ScheduledView[]>;
  cancelSchedule(draftId: number): Promise<void>;
  /** S-BULK-1…3: how many recipients a bulk send would have (nothing is stored), and the job itself. */
  bulkPreview(input: BulkCreateInput): Promise<BulkPreview>;
  bulkCreate(input: BulkCreateInput): Promise<BulkJobView>;
}

export function composeApi(api: Requester): ComposeApi {
  return {
    upload: (file, onProgress) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return call(api, {
        url: SEND.upload,
        method: 'post',
        data: form,
        onUploadProgress: onProgress ? (e) => e.total && onProgress(Math.min(1, e.loaded / e.total)) : undefined,
      });
    },
    deleteUpload: async (id) => {
      await call(api, { url: SEND.deleteUpload, method: 'post', params: { filterByTk: id } });
    },
    replyDraft: (messageId, mode) =>
      call(api, { url: SEND.replyDraft, method: 'get', params: { filterByTk: messageId, mode, timeZone: localTimeZone() } }),
    send: (input) => call(api, { url: SEND.send, method: 'post', data: input }),
    saveDraft: (input) => call(api, { url: SEND.saveDraft, method: 'post', data: input }),
    openDraft: (draftId) => call(api, { url: SEND.openDraft, method: 'get', params: { filterByTk: draftId } }),
    deleteDraft: async (draftId) => {
      await call(api, { url: SEND.deleteDraft, method: 'post', params: { filterByTk: draftId } });
    },
    download: (attachmentId) => bytes(api, MAIL.download, { filterByTk: attachmentId }),
    inlineImage: (messageId, cid) => bytes(api, MAIL.inline, { messageId, cid }),
    suggestAddresses: async (q) => (q.trim() ? (await call<Address[]>(api, { url: EXTRAS.addresses, method: 'get', params: { q: q.trim() } })) || [] : []),
    settings: () => call(api, { url: EXTRAS.readSettings, method: 'get' }),
    setSettings: (settings) => call(api, { url: EXTRAS.setSettings, method: 'post', data: settings }),
    findDraft: async (query) => (await call<FoundDraft | null>(api, { url: EXTRAS.findDraft, method: 'get', params: query })) || null,
    signatures: async (accountId) => (await call<SignatureView[]>(api, { url: EXTRAS.signatures, method: 'get', params: accountId ? { accountId } : {} })) || [],
    defaultSignature: async (accountId) => (await call<SignatureView | null>(api, { url: EXTRAS.defaultSignature, method: 'get', params: { accountId } })) || null,
    saveSignature: (input) => call(api, { url: EXTRAS.saveSignature, method: 'post', data: input }),
    removeSignature: async (id) => {
      await call(api, { url: EXTRAS.removeSignature, method: 'post', params: { filterByTk: id } });
    },
    templates: async () => (await call<TemplateView[]>(api, { url: EXTRAS.templates, method: 'get' })) || [],
    saveTemplate: (input) => call(api, { url: EXTRAS.saveTemplate, method: 'post', data: input }),
    removeTemplate: async (id) => {
      await call(api, { url: EXTRAS.removeTemplate, method: 'post', params: { filterByTk: id } });
    },
    schedule: (input) => call(api, { url: EXTRAS.schedule, method: 'post', data: input }),
    listScheduled: async (accountId) => (await call<ScheduledView[]>(api, { url: EXTRAS.listScheduled, method: 'get', params: accountId ? { accountId } : {} })) || [],
    cancelSchedule: async (draftId) => {
      await call(api, { url: EXTRAS.cancelSchedule, method: 'post', params: { filterByTk: draftId } });
    },
    bulkPreview: (input) => call(api, { url: BULK_ACTIONS.preview, method: 'post', data: input }),
    bulkCreate: (input) => call(api, { url: BULK_ACTIONS.create, method: 'post', data: input }),
  };
}

/** The quote's date line is written in the reader's own time zone. */
function localTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

