import { ApiError, errorMessage } from '../accounts/accounts-api';
import type { BulkCreateInput, BulkJobView, BulkPreview } from '../../shared/bulk-api';
import type { Address } from '../../shared/mail-center-api';
import type {
  ComposeSettings,
  FindDraftQuery,
  FoundDraft,
  ScheduledDraft,
  ScheduledView,
  ScheduleInput,
  SignatureInput,
  SignatureView,
  TemplateInput,
  TemplateView,
} from '../../shared/compose-extras-api';
import type { DraftInput, DraftView, ReplyDraft, SavedDraft, SendInput, SendResult, UploadView } from '../../shared/send-api';

/**
 * The part of NocoBase's APIClient the editor uses: axios underneath, so `params` become the
 * query string and `onUploadProgress` reports the bytes of a multipart upload.
 */
export interface ComposeRequester {
  request(config: {
    url: string;
    method?: string;
    params?: object;
    data?: unknown;
    responseType?: 'json' | 'blob';
    skipNotify?: boolean;
    onUploadProgress?: (event: { loaded: number; total?: number }) => void;
  }): Promise<{ data: any }>;
}

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

async function call<T>(api: ComposeRequester, config: Parameters<ComposeRequester['request']>[0], raw = false): Promise<T> {
  try {
    const res = await api.request({ skipNotify: true, ...config });
    return (raw ? res.data : res.data?.data) as T;
  } catch (error: any) {
    // A blob request's error body is a Blob; its message is read the way mail-api does it.
    let message = errorMessage(error);
    const data = error?.response?.data;
    if (typeof Blob !== 'undefined' && data instanceof Blob) {
      try {
        message = JSON.parse(await data.text())?.errors?.[0]?.message || message;
      } catch {
        // Not JSON: keep the transport's message.
      }
    }
    throw new ApiError(message, { status: error?.response?.status, ...(error?.response?.data?.errors?.[0] || {}) });
  }
}

async function bytes(api: ComposeRequester, url: string, params: object): Promise<Blob> {
  const data = await call<Blob | ArrayBuffer>(api, { url, method: 'get', params, responseType: 'blob' }, true);
  return typeof Blob !== 'undefined' && data instanceof Blob ? data : new Blob([data as ArrayBuffer]);
}

export function composeApi(api: ComposeRequester): ComposeApi {
  return {
    upload: (file, onProgress) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return call(api, {
        url: 'mailAttachments:upload',
        method: 'post',
        data: form,
        onUploadProgress: onProgress ? (e) => e.total && onProgress(Math.min(1, e.loaded / e.total)) : undefined,
      });
    },
    deleteUpload: async (id) => {
      await call(api, { url: 'mailAttachments:deleteUpload', method: 'post', params: { filterByTk: id } });
    },
    replyDraft: (messageId, mode) =>
      call(api, { url: 'mailMessages:replyDraft', method: 'get', params: { filterByTk: messageId, mode, timeZone: localTimeZone() } }),
    send: (input) => call(api, { url: 'mailMessages:send', method: 'post', data: input }),
    saveDraft: (input) => call(api, { url: 'mailMessages:saveDraft', method: 'post', data: input }),
    openDraft: (draftId) => call(api, { url: 'mailMessages:openDraft', method: 'get', params: { filterByTk: draftId } }),
    deleteDraft: async (draftId) => {
      await call(api, { url: 'mailMessages:deleteDraft', method: 'post', params: { filterByTk: draftId } });
    },
    download: (attachmentId) => bytes(api, 'mailAttachments:download', { filterByTk: attachmentId }),
    inlineImage: (messageId, cid) => bytes(api, 'mailAttachments:inline', { messageId, cid }),
    suggestAddresses: async (q) => (q.trim() ? (await call<Address[]>(api, { url: 'mailMessages:addresses', method: 'get', params: { q: q.trim() } })) || [] : []),
    settings: () => call(api, { url: 'mailComposeSettings:read', method: 'get' }),
    setSettings: (settings) => call(api, { url: 'mailComposeSettings:set', method: 'post', data: settings }),
    findDraft: async (query) => (await call<FoundDraft | null>(api, { url: 'mailMessages:findDraft', method: 'get', params: query })) || null,
    signatures: async (accountId) => (await call<SignatureView[]>(api, { url: 'mailSignatures:listOwn', method: 'get', params: accountId ? { accountId } : {} })) || [],
    defaultSignature: async (accountId) => (await call<SignatureView | null>(api, { url: 'mailSignatures:defaultFor', method: 'get', params: { accountId } })) || null,
    saveSignature: (input) => call(api, { url: 'mailSignatures:save', method: 'post', data: input }),
    removeSignature: async (id) => {
      await call(api, { url: 'mailSignatures:remove', method: 'post', params: { filterByTk: id } });
    },
    templates: async () => (await call<TemplateView[]>(api, { url: 'mailTemplates:listOwn', method: 'get' })) || [],
    saveTemplate: (input) => call(api, { url: 'mailTemplates:save', method: 'post', data: input }),
    removeTemplate: async (id) => {
      await call(api, { url: 'mailTemplates:remove', method: 'post', params: { filterByTk: id } });
    },
    schedule: (input) => call(api, { url: 'mailMessages:schedule', method: 'post', data: input }),
    listScheduled: async (accountId) => (await call<ScheduledView[]>(api, { url: 'mailMessages:listScheduled', method: 'get', params: accountId ? { accountId } : {} })) || [],
    cancelSchedule: async (draftId) => {
      await call(api, { url: 'mailMessages:cancelSchedule', method: 'post', params: { filterByTk: draftId } });
    },
    bulkPreview: (input) => call(api, { url: 'mailMassMessages:preview', method: 'post', data: input }),
    bulkCreate: (input) => call(api, { url: 'mailMassMessages:create', method: 'post', data: input }),
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

