/** The client's one request helper (src/client/api.ts): answers, failures as ApiError, notification opt-out. */
import { describe, expect, it, vi } from 'vitest';
import { ApiError, bytes, call, errorMessage, post } from '../../src/client/api';

const failing = (status: number, data: unknown, message = 'Request failed') =>
  vi.fn(async () => {
    throw Object.assign(new Error(message), { response: { status, data } });
  });

describe('call', () => {
  it("answers the body's data, or the whole body with raw; skips the app's notification unless told", async () => {
    const request = vi.fn(async () => ({ data: { data: [1], meta: { count: 1 } } }));
    expect(await call({ request }, { url: 'mailMessages:counts' })).toEqual([1]);
    expect(request).toHaveBeenLastCalledWith({ url: 'mailMessages:counts', skipNotify: true });
    expect(await call({ request }, { url: 'x:y', skipNotify: false }, true)).toEqual({ data: [1], meta: { count: 1 } });
    expect(request).toHaveBeenLastCalledWith({ url: 'x:y', skipNotify: false });
    await post({ request }, 'mailAccounts:remove', undefined, { filterByTk: 3 });
    expect(request).toHaveBeenLastCalledWith({ url: 'mailAccounts:remove', method: 'post', data: {}, params: { filterByTk: 3 }, skipNotify: true });
  });

  it("fails with the server's messages joined, its first error's fields and status, and every error", async () => {
    const errors = [
      { field: 'googleClientId', message: 'Client ID is required' },
      { field: 'syncInterval', message: 'Too short' },
    ];
    const error: ApiError = await call<never>({ request: failing(400, { errors }) }, { url: 'mailSettings:set', method: 'post' }).catch((e: ApiError) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('Client ID is required; Too short');
    expect(error.details).toEqual({ status: 400, field: 'googleClientId', message: 'Client ID is required' });
    expect(error.errors).toEqual(errors);
    const cancelled = { message: 'Authorization was cancelled', field: 'access_denied', provider: 'gmail', syncStartDate: '2024-01-01T00:00:00.000Z' };
    await expect(call({ request: failing(400, { errors: [cancelled] }) }, { url: 'mailAccounts:complete' })).rejects.toMatchObject({
      message: 'Authorization was cancelled',
      details: { status: 400, provider: 'gmail', syncStartDate: '2024-01-01T00:00:00.000Z' },
    });
  });

  it("uses the transport's message when the server sent none, and reads a blob request's JSON error", async () => {
    await expect(call({ request: failing(502, '<html>', 'Request failed with status code 502') }, { url: 'x:y' })).rejects.toMatchObject({
      message: 'Request failed with status code 502',
      details: { status: 502 },
      errors: [],
    });
    const json = JSON.stringify({ errors: [{ message: 'Attachment not found' }] });
    // jsdom's Blob has no text(); browsers' has.
    const blob = Object.assign(new Blob([json], { type: 'application/json' }), { text: async () => json });
    await expect(bytes({ request: failing(404, blob) }, 'mailAttachments:download', { filterByTk: 1 })).rejects.toMatchObject({
      message: 'Attachment not found',
      details: { status: 404 },
    });
    expect(errorMessage(new Error('Network Error'))).toBe('Network Error');
  });
});
