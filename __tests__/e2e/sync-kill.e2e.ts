import path from 'node:path';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator } from '../../dev/emulators';
import { ADMIN, freePort, prepareApp, ROOT, RunningApp, startApp } from '../../dev/app';
import { signInToApp } from '../../dev/dev-emulators';
import { appApi, openAppDatabase, quotedFor, waitFor as pollUntil, withE2eDatabase } from './kill-helpers';

/**
 * S-SYNC-2: the real app (full @nocobase/app in a child process, scheduler on) is killed with
 * SIGKILL in the middle of a first import and started again → the import resumes from the last
 * committed batch: no duplicate, no gap, and the provider is not asked again for what was stored.
 */
const EMAIL = 'kill@gmail.test';
const COUNT = 2000;
const CLIENT = { clientId: '1234-kill.apps.googleusercontent.com', clientSecret: 'GOCSPX-kill-secret' };

describe('a first import survives the server being killed', () => {
  let google: Awaited<ReturnType<typeof startGoogleEmulator>>;
  let app: RunningApp | undefined;
  let db: Sequelize;
  const dialect = process.env.DB_DIALECT || 'sqlite';
  const dir = path.join(ROOT, '.app', `e2e-kill-${dialect}`);

  const api = (action: string, token: string, body?: unknown) => appApi(app!.url, action, token, body);
  const storedIds = async () => {
    const [rows] = await db.query(quotedFor(dialect)('SELECT "providerMessageId" AS id FROM "mailMessages"'));
    return (rows as any[]).map((r) => r.id as string);
  };
  const waitFor = (what: string, check: () => Promise<boolean>, timeoutMs = 180_000) => pollUntil(what, check, timeoutMs, 250);

  beforeAll(async () => {
    // Real Gmail quota (3,000 messages a minute): the import takes long enough to be interrupted.
    google = await startGoogleEmulator({ seed: 'kill', latencyMs: 2 } as any);
    google.addClient(CLIENT);
    google.addUser({ email: EMAIL });
    await google.generateMailbox(EMAIL, { count: COUNT, seed: 11, withAttachmentsRatio: 0.1 });
    const port = await freePort();
    // A short cluster lease, so the dead process's claim on the account lapses quickly.
    const env = withE2eDatabase({ ...google.env, EMAIL_MANAGER_SYNC_LEASE_SECONDS: '3' });
    await prepareApp({ dir, port, env, fresh: true });
    app = await startApp({ dir, port, env });
    db = openAppDatabase(dir, dialect);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await google?.close();
  });

  it('resumes from the last committed batch after SIGKILL', async () => {
    let token = await signInToApp(app!.url, ADMIN);
    expect((await api('mailSettings:set', token, { googleClientId: CLIENT.clientId, googleClientSecret: CLIENT.clientSecret })).status).toBe(200);
    const started = await api('mailAccounts:authorize', token, { provider: 'gmail', syncStartDate: '2000-01-01T00:00:00.000Z' });
    const back = new URL(await google.consent(started.body.data.url, { email: EMAIL, decision: 'allow' }));
    expect((await api('mailAccounts:complete', token, Object.fromEntries(back.searchParams))).status).toBe(200);

    // Connecting queued the first import; kill the server a quarter of the way in.
    await waitFor('a quarter of the import', async () => (await storedIds()).length >= COUNT / 4);
    app!.process.kill('SIGKILL');
    await new Promise((r) => app!.process.once('exit', r));
    const beforeRestart = await storedIds();
    expect(beforeRestart.length).toBeLessThan(COUNT);
    google.resetUsage();

    app = await startApp({ dir, port: Number(new URL(app!.url).port), env: withE2eDatabase({ ...google.env, EMAIL_MANAGER_SYNC_LEASE_SECONDS: '3' }) });
    token = await signInToApp(app.url, ADMIN);
    // "Sync now" once the dead process's lease has lapsed.
    await waitFor('the account to be free', async () => (await api('mailAccounts:syncNow', token, {})).status === 200, 30_000);
    await waitFor('the import to finish', async () => {
      const account = (await api('mailAccounts:listOwn', token)).body.data?.[0];
      return account?.syncStage === 'idle' && account?.importProgress?.percent === 100;
    });

    const ids = await storedIds();
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    expect(new Set(ids)).toEqual(new Set(google.mailboxOf(EMAIL).map((m) => m.id)));
    // Only what was missing was fetched whole again (plus the labels of one resumed page).
    const usage: any = google.usage(EMAIL);
    expect(usage.methods['messages.get']).toBeLessThanOrEqual(COUNT - beforeRestart.length + 500);
    console.log(`kill test: ${beforeRestart.length}/${COUNT} stored at the kill, ${usage.methods['messages.get']} fetched after the restart`);
    // A run queued meanwhile (the beat, the "Sync now" above) may have started after the import
    // ended: the newest log is read once nothing runs.
    let logs: any[] = [];
    await waitFor('no run under way', async () => {
      logs = (await api('mailSyncLogs:listOwn', token)).body.data ?? [];
      return logs[0]?.outcome !== 'running';
    });
    expect(logs.some((l: any) => l.outcome === 'failed' && /Interrupted/.test(l.error))).toBe(true);
    expect(logs[0]).toMatchObject({ outcome: 'ok' });
  });
});
