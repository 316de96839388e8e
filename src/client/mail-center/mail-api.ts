import { ApiError, errorMessage } from '../accounts/accounts-api';
import type {
  AttachmentView,
  ChangeInput,
  ChangeResult,
  LabelView,
  MailCounts,
  NoteView,
  ThreadPageMeta,
  ThreadQuery,
  ThreadRow,
  ThreadView,
} from '../../shared/mail-center-api';

/**
 * The part of NocoBase's APIClient the mail center uses. Its `request` is axios underneath, so
 * `params` become the query string and `responseType: 'blob'` gives the raw bytes.
 */
export interface MailRequester {
  request(config: {
    url: string;
    method?: string;
    params?: object;
    data?: unknown;
    responseType?: 'json' | 'blob' | 'arraybuffer';
    skipNotify?: boolean;
  }): Promise<{ data: any }>;
}

/** `threads` pages without a total (that is `threadCount`, which may take longer). */
export interface ThreadListMeta {
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export interface ThreadPage {
  rows: ThreadRow[];
  meta: ThreadListMeta;
}

/** Every mail-center action of src/shared/mail-center-api.ts, typed. */
export interface MailApi {
  threads(query: ThreadQuery): Promise<ThreadPage>;
  /** The total of the same query, for the pagination. */
  threadCount(query: ThreadQuery): Promise<ThreadPageMeta>;
  thread(messageId: number): Promise<ThreadView>;
  counts(): Promise<MailCounts>;
  /** The badge's number alone (cheap). */
  unreadCount(): Promise<number>;
  setRead(input: ChangeInput & { read: boolean }): Promise<ChangeResult>;
  setStarred(input: ChangeInput & { starred: boolean }): Promise<ChangeResult>;
  archive(input: ChangeInput): Promise<ChangeResult>;
  trash(input: ChangeInput): Promise<ChangeResult>;
  restore(input: ChangeInput): Promise<ChangeResult>;
  destroyForever(input: ChangeInput): Promise<ChangeResult>;
  setLabels(input: ChangeInput & { add?: number[]; remove?: number[] }): Promise<ChangeResult>;
  labels(): Promise<LabelView[]>;
  saveLabel(input: { id?: number; name: string; color: string }): Promise<LabelView>;
  removeLabel(id: number): Promise<void>;
  saveNote(input: { messageId: number; note?: string | null; todo?: boolean }): Promise<NoteView>;
  attachments(messageId: number): Promise<AttachmentView[]>;
  /** The attachment's bytes; `preview` asks the server for an inline disposition. */
  download(attachmentId: number, options?: { preview?: boolean }): Promise<Blob>;
  /** The bytes of a `cid:` image of the message. */
  inlineImage(messageId: number, cid: string): Promise<Blob>;
}

/** Axios hands a blob whose body is the JSON error; read the server's message out of it. */
async function blobErrorMessage(error: any): Promise<string | null> {
  const data = error?.response?.data;
  if (typeof Blob === 'undefined' || !(data instanceof Blob)) return null;
  try {
    const body = JSON.parse(await data.text());
    return body?.errors?.map((e: { message: string }) => e.message).join('; ') || null;
  } catch {
    return null;
  }
}

/** One call: the answer's `data` (or the whole body with `raw`); a failure throws an ApiError with the server's message. */
export async function send<T>(api: MailRequester, config: Parameters<MailRequester['request']>[0], raw = false): Promise<T> {
  try {
    const res = await api.request({ skipNotify: true, ...config });
    return (raw ? res.data : res.data?.data) as T;
  } catch (error: any) {
    const message = (await blobErrorMessage(error)) || errorMessage(error);
    throw new ApiError(message, { status: error?.response?.status, ...(error?.response?.data?.errors?.[0] || {}) });
  }
}

const get = <T>(api: MailRequester, url: string, params?: object) => send<T>(api, { url, method: 'get', params });
const post = <T>(api: MailRequester, url: string, data: unknown = {}, params?: Record<string, unknown>) =>
  send<T>(api, { url, method: 'post', data, params });

/** The threads answer is `{ data, meta }`: keep both, which `send` alone would not. */
async function threads(api: MailRequester, query: ThreadQuery): Promise<ThreadPage> {
  const body = await send<{ data: ThreadRow[]; meta?: Partial<ThreadListMeta> }>(api, { url: 'mailMessages:threads', method: 'get', params: query }, true);
  const rows = body?.data || [];
  const pageSize = body?.meta?.pageSize || query.pageSize || 20;
  return { rows, meta: { page: body?.meta?.page || query.page || 1, pageSize, hasMore: body?.meta?.hasMore ?? rows.length >= pageSize } };
}

/** Raw bytes; an ArrayBuffer (some adapters ignore `blob`) is wrapped so callers always get a Blob. */
async function bytes(api: MailRequester, url: string, params: Record<string, unknown>): Promise<Blob> {
  const data = await send<Blob | ArrayBuffer>(api, { url, method: 'get', params, responseType: 'blob' }, true);
  return typeof Blob !== 'undefined' && data instanceof Blob ? data : new Blob([data as ArrayBuffer]);
}

export function mailApi(api: MailRequester): MailApi {
  return {
    threads: (query) => threads(api, query),
    threadCount: (query) => get(api, 'mailMessages:threadCount', query),
    thread: (messageId) => get(api, 'mailMessages:thread', { filterByTk: messageId }),
    counts: () => get(api, 'mailMessages:counts'),
    unreadCount: async () => (await get<{ unread: number }>(api, 'mailMessages:unreadCount'))?.unread || 0,
    setRead: (input) => post(api, 'mailMessages:setRead', input),
    setStarred: (input) => post(api, 'mailMessages:setStarred', input),
    archive: (input) => post(api, 'mailMessages:archive', input),
    trash: (input) => post(api, 'mailMessages:trash', input),
    restore: (input) => post(api, 'mailMessages:restore', input),
    destroyForever: (input) => post(api, 'mailMessages:destroyForever', input),
    setLabels: (input) => post(api, 'mailMessages:setLabels', input),
    labels: () => get(api, 'mailMessageLabels:listOwn'),
    saveLabel: (input) => post(api, 'mailMessageLabels:save', input),
    removeLabel: async (id) => {
      await post(api, 'mailMessageLabels:remove', {}, { filterByTk: id });
    },
    saveNote: (input) => post(api, 'mailMessageNotes:save', input),
    attachments: (messageId) => get(api, 'mailAttachments:listOwn', { messageId }),
    download: (attachmentId, options) =>
      bytes(api, 'mailAttachments:download', options?.preview ? { filterByTk: attachmentId, preview: 1 } : { filterByTk: attachmentId }),
    inlineImage: (messageId, cid) => bytes(api, 'mailAttachments:inline', { messageId, cid }),
  };
}
