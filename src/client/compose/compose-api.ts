import { ApiError, errorMessage } from '../accounts/accounts-api';
import type { Address, ThreadRow } from '../../shared/mail-center-api';
import type { ComposeSettings, FindDraftQuery, FoundDraft } from '../../shared/compose-extras-api';
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
  /** Addresses from the user's own mail that contain `q` (S-SEND-4), best first. */
  suggestAddresses(q: string): Promise<Address[]>;
  /** The user's auto-save switch (S-DRAFT-2), kept on the server for every browser. */
  settings(): Promise<ComposeSettings>;
  setSettings(settings: ComposeSettings): Promise<ComposeSettings>;
  /** S-DRAFT-3: the user's newest draft for the same sender, recipients and original, if any. */
  findDraft(query: FindDraftQuery): Promise<FoundDraft | null>;
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

/** How many conversations the fallback autocomplete reads per keystroke burst. */
const SUGGEST_ROWS = 30;
/** Suggestions shown at most. */
export const SUGGEST_MAX = 8;

/**
 * Autocomplete without a server action of its own: the conversations that match `q` in all
 * boxes, and their correspondents that contain it. Good enough for people written with
 * recently; a server `mailMessages:addresses?q=` would also see Cc and older mail.
 */
async function suggestFromThreads(api: ComposeRequester, q: string): Promise<Address[]> {
  const text = q.trim().toLowerCase();
  if (!text) return [];
  const body = await call<{ data: ThreadRow[] }>(api, { url: 'mailMessages:threads', method: 'get', params: { q: text, box: 'all', pageSize: SUGGEST_ROWS } }, true);
  const found = new Map<string, Address>();
  for (const row of body?.data || []) {
    for (const a of row.correspondents || []) {
      const key = a.address?.toLowerCase();
      if (!key || found.has(key)) continue;
      if (key.includes(text) || a.name?.toLowerCase().includes(text)) found.set(key, a.name ? { name: a.name, address: key } : { address: key });
    }
  }
  return [...found.values()].slice(0, SUGGEST_MAX);
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
    suggestAddresses: (q) => suggestFromThreads(api, q),
    settings: () => call(api, { url: 'mailComposeSettings:read', method: 'get' }),
    setSettings: (settings) => call(api, { url: 'mailComposeSettings:set', method: 'post', data: settings }),
    findDraft: async (query) => (await call<FoundDraft | null>(api, { url: 'mailMessages:findDraft', method: 'get', params: query })) || null,
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

