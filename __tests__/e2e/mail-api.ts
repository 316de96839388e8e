/**
 * What the browser tests do through the app's HTTP API rather than the UI: signing in, creating a
 * member, linking a mailbox through the emulator's consent page, waiting for its first import.
 */
import { ADMIN } from '../../dev/app';
import type { DevEmulators } from '../../dev/dev-emulators';
import { signInToApp } from '../../dev/dev-emulators';
import { signIn, startHarness } from './harness';

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

/**
 * The set-up the mail browser tests share: a fresh app on the emulators, a member with one linked
 * Gmail mailbox (first import done), and a signed-in page of that member from which nothing may
 * reach the internet (`onForeign` sees each refused request).
 */
export async function startMemberSession(
  name: string,
  emulators: DevEmulators,
  member: { email: string; password: string; nickname?: string },
  mailbox: string,
  options: { width?: number; onForeign?: (url: string) => void } = {},
) {
  const h = await startHarness(name, emulators.env);
  await emulators.configureApp(h.app.url, ADMIN);
  await createMember(h.app.url, member);
  const token = await signInToApp(h.app.url, member);
  await linkMailbox(h.app.url, token, emulators, 'gmail', mailbox);
  const context = await h.browser.newContext({ viewport: { width: options.width ?? 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => {
    options.onForeign?.(route.request().url());
    return route.abort();
  });
  await signIn(page, h.app.url, member.email, member.password);
  return { h, token, context, page };
}
