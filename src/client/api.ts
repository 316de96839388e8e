/**
 * The one way the client calls the plugin's server actions (the route tables of src/shared/*-api.ts):
 * `call` sends one request through NocoBase's APIClient and answers the body's `data` (or the
 * whole body); a failure becomes an ApiError with the server's message and the extra fields of
 * its error (src/shared/api-errors.ts). No @nocobase/client import: pure modules and tests use it
 * with any object that has `request`.
 */
import type { ApiErrorItem } from '../shared/api-errors';

/** One request, as NocoBase's APIClient (axios underneath) takes it. */
export interface RequestConfig {
  url: string;
  /** 'get' when absent. */
  method?: string;
  /** Sent as the query string. */
  params?: object;
  /** The body of a POST: JSON, or FormData for an upload. */
  data?: unknown;
  /** 'blob' gives the raw bytes. */
  responseType?: 'json' | 'blob' | 'arraybuffer';
  /**
   * True unless set false: the plugin shows its own message, so the app's error notification
   * would repeat it.
   */
  skipNotify?: boolean;
  /** The bytes of a multipart upload sent so far. */
  onUploadProgress?: (event: { loaded: number; total?: number }) => void;
}

/** The part of NocoBase's APIClient the plugin uses. */
export interface Requester {
  request(config: RequestConfig): Promise<{ data: any }>;
}

/** Fields of a failure: the HTTP status, then the fields of the server's first error (`field`, `provider`, `files`…). */
export type ApiErrorDetails = { status?: number } & Partial<ApiErrorItem> & Record<string, any>;

/** A failed call: the server's message, the extra fields its first error carried, and all its errors. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly details: ApiErrorDetails = {},
    /** Every error of the answer: the settings form marks each field named. */
    readonly errors: ApiErrorItem[] = [],
  ) {
    super(message);
  }
}

/** The server's message for a failed call (`{ errors: [{ message }] }`, joined), or the transport's. */
export function errorMessage(error: any): string {
  const errors: { message: string }[] | undefined = error?.response?.data?.errors;
  return errors?.length ? errors.map((e) => e.message).join('; ') : error?.message || String(error);
}

/** The server's errors; a `blob` request's error body is a Blob holding the JSON. */
async function serverErrors(error: any): Promise<ApiErrorItem[]> {
  const data = error?.response?.data;
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    try {
      const errors = JSON.parse(await data.text())?.errors;
      return Array.isArray(errors) ? errors : [];
    } catch {
      // Not JSON: the transport's message stands.
      return [];
    }
  }
  return Array.isArray(data?.errors) ? data.errors : [];
}

/** Any failure of a request as an ApiError. */
export async function toApiError(error: any): Promise<ApiError> {
  const errors = await serverErrors(error);
  const message = errors.length ? errorMessage({ response: { data: { errors } } }) : errorMessage(error);
  return new ApiError(message, { status: error?.response?.status, ...(errors[0] || {}) }, errors);
}

/** One call: the answer's `data`, or with `raw` the whole body (`{ data, meta }` of a page, a file's bytes). */
export async function call<T>(api: Requester, config: RequestConfig, raw = false): Promise<T> {
  let res: { data: any };
  try {
    res = await api.request({ skipNotify: true, ...config });
  } catch (error) {
    throw await toApiError(error);
  }
  return (raw ? res.data : res.data?.data) as T;
}

/** A GET: `params` become the query string. */
export const get = <T>(api: Requester, url: string, params?: object) => call<T>(api, { url, method: 'get', params });

/** A POST of `data` (an empty object when none), with `params` (filterByTk…) in the query string. */
export const post = <T>(api: Requester, url: string, data: unknown = {}, params?: object) =>
  call<T>(api, { url, method: 'post', data, params });

/** A file's bytes; an ArrayBuffer (some adapters ignore `blob`) is wrapped so callers always get a Blob. */
export async function bytes(api: Requester, url: string, params: object): Promise<Blob> {
  const data = await call<Blob | ArrayBuffer>(api, { url, method: 'get', params, responseType: 'blob' }, true);
  return typeof Blob !== 'undefined' && data instanceof Blob ? data : new Blob([data as ArrayBuffer]);
}
