/**
 * The account last sent from (S-SEND-2's "otherwise the last one used"), per user and per
 * browser in localStorage: a convenience of this browser that needs no server round trip. A
 * storage that throws (private mode, quota) just forgets. (The auto-save switch is a server
 * setting: the S-DRAFT-3 draft lookup reads it there.)
 */
const PREFIX = 'email-manager:compose';

export interface ComposePrefs {
  lastAccountId: number | null;
}

function key(userId: number | string | null | undefined) {
  return `${PREFIX}:${userId ?? 'me'}`;
}

export function readPrefs(userId?: number | string | null): ComposePrefs {
  try {
    const raw = JSON.parse(window.localStorage.getItem(key(userId)) || '{}');
    return { lastAccountId: Number.isInteger(raw.lastAccountId) ? raw.lastAccountId : null };
  } catch {
    return { lastAccountId: null };
  }
}

export function writePrefs(userId: number | string | null | undefined, patch: Partial<ComposePrefs>): ComposePrefs {
  const next = { ...readPrefs(userId), ...patch };
  try {
    window.localStorage.setItem(key(userId), JSON.stringify(next));
  } catch {
    // Not remembered: the editor still works.
  }
  return next;
}
