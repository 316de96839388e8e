/** The mail center's calls (src/shared/mail-center-api.ts) through the client's one request helper. */
import { bytes, call, get, post, type Requester } from '../api';
import {
  MAIL_CENTER_ACTIONS as MAIL,
  type AttachmentView,
  type ChangeInput,
  type ChangeResult,
  type LabelView,
  type MailCounts,
  type NoteView,
  type ThreadPageMeta,
  type ThreadQuery,
  type ThreadRow,
  type ThreadView,
  type LabelInput,
  type NoteInput,
  type ThreadListMeta,
} from '../../shared/mail-center-api';

/** A page of conversations: `threads` has no total (that is `threadCount`). */
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
  saveLabel(input: LabelInput): Promise<LabelView>;
  removeLabel(id: number): Promise<void>;
  saveNote(input: NoteInput): Promise<NoteView>;
  attachments(messageId: number): Promise<AttachmentView[]>;
  /** The attachment's bytes; `preview` asks the server for an inline disposition. */
  download(attachmentId: number, options?: { preview?: boolean }): Promise<Blob>;
  /** The bytes of a `cid:` image of the message. */
  inlineImage(messageId: number, cid: string): Promise<Blob>;
}

/** The threads answer is `{ data, meta }`: keep both, which `get` alone would not. */
async function threads(api: Requester, query: ThreadQuery): Promise<ThreadPage> {
  const body = await call<{ data: ThreadRow[]; meta?: Partial<ThreadListMeta> }>(api, { url: MAIL.threads, method: 'get', params: query }, true);
  const rows = body?.data || [];
  const pageSize = body?.meta?.pageSize || query.pageSize || 20;
  return { rows, meta: { page: body?.meta?.page || query.page || 1, pageSize, hasMore: body?.meta?.hasMore ?? rows.length >= pageSize } };
}

export function mailApi(api: Requester): MailApi {
  return {
    threads: (query) => threads(api, query),
    threadCount: (query) => get(api, MAIL.threadCount, query),
    thread: (messageId) => get(api, MAIL.thread, { filterByTk: messageId }),
    counts: () => get(api, MAIL.counts),
    unreadCount: async () => (await get<{ unread: number }>(api, MAIL.unreadCount))?.unread || 0,
    setRead: (input) => post(api, MAIL.setRead, input),
    setStarred: (input) => post(api, MAIL.setStarred, input),
    archive: (input) => post(api, MAIL.archive, input),
    trash: (input) => post(api, MAIL.trash, input),
    restore: (input) => post(api, MAIL.restore, input),
    destroyForever: (input) => post(api, MAIL.destroyForever, input),
    setLabels: (input) => post(api, MAIL.setLabels, input),
    labels: () => get(api, MAIL.labels),
    saveLabel: (input) => post(api, MAIL.saveLabel, input),
    removeLabel: async (id) => {
      await post(api, MAIL.removeLabel, {}, { filterByTk: id });
    },
    saveNote: (input) => post(api, MAIL.saveNote, input),
    attachments: (messageId) => get(api, MAIL.attachments, { messageId }),
    download: (attachmentId, options) =>
      bytes(api, MAIL.download, options?.preview ? { filterByTk: attachmentId, preview: 1 } : { filterByTk: attachmentId }),
    inlineImage: (messageId, cid) => bytes(api, MAIL.inline, { messageId, cid }),
  };
}
