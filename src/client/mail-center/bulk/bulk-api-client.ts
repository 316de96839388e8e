/** The bulk tracking calls (src/shared/bulk-api.ts) through the client's one request helper. */
import { BULK_ACTIONS, type BulkJobPage, type BulkJobView, type BulkRecipientPage, type BulkRecipientStatus } from '../../../shared/bulk-api';
import { call, type Requester } from '../../api';

/** The tracking actions of src/shared/bulk-api.ts, typed (S-BULK-5). */
export interface BulkApi {
  jobs(query?: { page?: number; pageSize?: number }): Promise<BulkJobPage>;
  job(jobId: number): Promise<BulkJobView>;
  recipients(jobId: number, query?: { status?: BulkRecipientStatus; page?: number; pageSize?: number }): Promise<BulkRecipientPage>;
  /** Every Pending recipient of the job, or the one given. */
  cancel(jobId: number, recipientId?: number): Promise<BulkJobView>;
  /** Every Failed and Canceled recipient of the job, or the one given. */
  resend(jobId: number, recipientId?: number): Promise<BulkJobView>;
}

interface Page<T> {
  rows: T[];
  count: number;
  page: number;
  pageSize: number;
}

/**
 * A page as the contract states it (`{ data: { rows, count, … } }`), or as NocoBase's data
 * wrapping turns a `{ rows, … }` body into `{ data: rows, meta: { count, … } }`: both are read.
 */
export function pageOf<T>(body: any): Page<T> {
  if (Array.isArray(body?.data)) {
    const meta = body.meta || {};
    return { rows: body.data, count: meta.count ?? body.data.length, page: meta.page ?? 1, pageSize: meta.pageSize ?? body.data.length };
  }
  const page = body?.data || {};
  return { rows: page.rows || [], count: page.count ?? 0, page: page.page ?? 1, pageSize: page.pageSize ?? 0 };
}

/** Query parameters without the unset ones (axios would send `status=` otherwise). */
function params(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

export function bulkApi(api: Requester): BulkApi {
  const get = <T>(url: string, query: Record<string, unknown>) => call<T>(api, { url, method: 'get', params: params(query) });
  const getPage = async <T>(url: string, query: Record<string, unknown>) =>
    pageOf<T>(await call<unknown>(api, { url, method: 'get', params: params(query) }, true));
  const post = <T>(url: string, query: Record<string, unknown>) => call<T>(api, { url, method: 'post', data: {}, params: params(query) });
  return {
    jobs: (query = {}) => getPage(BULK_ACTIONS.listOwn, query),
    job: (jobId) => get(BULK_ACTIONS.getOwn, { filterByTk: jobId }),
    recipients: (jobId, query = {}) => getPage(BULK_ACTIONS.recipients, { filterByTk: jobId, ...query }),
    cancel: (jobId, recipientId) => post(BULK_ACTIONS.cancel, { filterByTk: jobId, recipientId }),
    resend: (jobId, recipientId) => post(BULK_ACTIONS.resend, { filterByTk: jobId, recipientId }),
  };
}
