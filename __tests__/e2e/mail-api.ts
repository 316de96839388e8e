/**
 * What the browser tests do through the app's HTTP API rather than the UI: signing in, creating a
 * member, linking a mailbox through the emulator's consent page, waiting for its first import.
 */
import { ADMIN } from '../../dev/app';
import type { DevEmulators } from '../../dev/dev-emulators';
import { signInToApp } from '../../dev/dev-emulators';

export async function api(appUrl: string, token: string, action: string, body?: unknown) {
  const res = await fetch(`${appUrl}/api/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: any = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${action}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function createMember(appUrl: string, member: { email: string; password: string; nickname?: string }) {
  const token = await signInToApp(appUrl, ADMIN);
  await api(appUrl, token, 'users:create', { nickname: member.nickname ?? 'Member', email: member.email, password: member.password, roles: ['member'] });
}

/** Authorize → the emulator's consent page (Allow) → complete; then waits until the first import is done. */
export async function linkMailbox(appUrl: string, token: string, emulators: DevEmulators, provider: 'gmail' | 'outlook', email: string) {
  const started = await api(appUrl, token, 'mailAccounts:authorize', { provider, syncStartDate: '2000-01-01T00:00:00.000Z' });
  const emulator = provider === 'gmail' ? emulators.google : emulators.microsoft;
  const back = new URL(await emulator.consent(started.data.url, { email, decision: 'allow' }));
  const done = await api(appUrl, token, 'mailAccounts:complete', Object.fromEntries(back.searchParams));
  const accountId: number = done.data.account.id;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const accounts = (await api(appUrl, token, 'mailAccounts:listOwn')).data as any[];
    const account = accounts.find((a) => a.id === accountId);
    if (account?.lastSyncedAt && account.syncStage === 'idle') return accountId;
    if (Date.now() > deadline) throw new Error(`the first import of ${email} did not finish: ${JSON.stringify(account)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
