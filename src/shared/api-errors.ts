/**
 * How every action of the plugin answers a failure, shared by the server (actions/respond.ts)
 * and the client (src/client/api.ts): the HTTP status, and a body `{ errors: ApiErrorItem[] }`
 * whose messages are translated by the request's X-Locale header. A bad request usually holds
 * one item; the settings form's save holds one per bad field. NocoBase's own refusals (401, 403)
 * have the same shape, without `field`.
 */

export interface ApiErrorItem {
  message: string;
  /** The input field at fault, when there is one. */
  field?: string;
  /** Extra fields an action documents (e.g. `provider` of a cancelled authorization, `files` of a too large mail). */
  [detail: string]: unknown;
}

export interface ApiErrorBody {
  errors: ApiErrorItem[];
}
