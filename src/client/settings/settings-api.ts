import { SaveError, SettingsUpdate, SettingsView } from './types';

/** The part of NocoBase's APIClient we use (its `request` is axios underneath). */
export interface ApiRequester {
  /** skipNotify: the plugin shows its own message, so the app's error notification would repeat it. */
  request(config: { url: string; method?: string; data?: unknown; skipNotify?: boolean }): Promise<{ data: any }>;
}

/** Turns an axios failure into a SaveError carrying the server's field messages. */
export function toSaveError(error: any): SaveError {
  const errors: { field?: string; message: string }[] = error?.response?.data?.errors || [];
  const message = errors.length ? errors.map((e) => e.message).join('; ') : error?.message || 'Request failed';
  return new SaveError(message, errors);
}

export async function loadSettings(api: ApiRequester): Promise<SettingsView> {
  const res = await api.request({ url: 'mailSettings:read' });
  return res.data.data;
}

export async function saveSettings(api: ApiRequester, update: SettingsUpdate): Promise<SettingsView> {
  try {
    const res = await api.request({ url: 'mailSettings:set', method: 'post', data: update, skipNotify: true });
    return res.data.data;
  } catch (error) {
    throw toSaveError(error);
  }
}
