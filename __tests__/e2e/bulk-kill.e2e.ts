import path from 'node:path';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator } from '../../dev/emulators';
import { ADMIN, freePort, prepareApp, ROOT, RunningApp, startApp } from '../../dev/app';
import { signInToApp } from '../../dev/dev-emulators';
import { appApi, openAppDatabase, quotedFor, waitFor as pollUntil, withE2eDatabase } from './kill-helpers';

/**
 * S-BULK-4 acceptance: the real app (full @nocobase/app in a child process, runner on) sends a
 * bulk job and is killed with SIGKILL halfway; started again, it finishes the job by itself, and
 * every recipient got exactly one mail, counted where it matters: at the emulated Gmail, both in
 * the requests it accepted and in the sent mail it holds. The emulator answers slowly, so the kill
 * very likely lands while a mail is on its way (the recipient is then found in `sending` and is
 * settled by asking Gmail for its Message-ID, not by sending again).
 */
const EMAIL = 'bulk-kill@gmail.test';
const COUNT = 80;
const INTERVAL_MS = 100;
const CLIENT = { clientId: '1234-bulk-kill.apps.googleusercontent.com', clientSecret: 'GOCSPX-bulk-kill-secret' };
const SUBJECT = 'Kill test {{record.name}}';
/** A claim older than this is a dead process's (default 120 s), so the test need not wait long. */
const STALE_SECONDS = '3';

describe('a bulk send survives the server being killed', () => {
  let google: Awaited<ReturnType<typeof startGoogleEmulator>>;
  let app: RunningApp | undefined;
  let db: Sequelize;
  const dialect = process.env.DB_DIALECT || 'sqlite';
  const dir = path.join(ROOT, '.app', `e2e-bulk-kill-${dialect}`);
  const env = () => withE2eDatabase({ ...google.env, EMAIL_MANAGER_BULK_STALE_SECONDS: STALE_SECONDS });
  const addresses = Array.from({ length: COUNT }, (_, i) => `reader${i}@kill.test`);

  const api = (action: string, token: string, body?: unknown) => appApi(app!.url, action, token, body);
  /** Mails Gmail accepted, one entry per messages.send it answered with success. */
  const accepted = () => google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300);
  /** Sends Gmail has received and not answered yet. */
  const inFlight = () => google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status === undefined);
  /** The bulk mails in the mailbox's sent mail, by Message-ID. */
  const inSent = () => google.mailboxOf(EMAIL).filter((m) => m.labelIds.includes('SENT') && (m.messageId || '').startsWith('<bulk.'));
  const q = quotedFor(dialect);
  const statuses = async () => {
    const [rows] = await db.query(q('SELECT "status", COUNT(*) AS n FROM "mailMassMessageRecipients" GROUP BY "status"'));
    return Object.fromEntries((rows as any[]).map((r) => [r.status, Number(r.n)]));
  };
  const waitFor = (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 120_000, pollMs = 50) => pollUntil(what, check, timeoutMs, pollMs);

  beforeAll(async () => {
    // A send takes ~60 ms at the emulator: a kill often lands between Gmail taking a mail and the row saying so.
    google = await startGoogleEmulator({ seed: 'bulk-kill', latencyMs: 60 } as any);
    google.addClient(CLIENT);
    google.addUser({ email: EMAIL, displayName: 'Kill Test' });
    const port = await freePort();
    await prepareApp({ dir, port, env: env(), fresh: true });
    app = await startApp({ dir, port, env: env() });
    db = openAppDatabase(dir, dialect);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await google?.close();
  });

  it('every recipient gets exactly one mail after a SIGKILL halfway and a restart', async () => {
    let token = await signInToApp(app!.url, ADMIN);
    expect((await api('mailSettings:set', token, { googleClientId: CLIENT.clientId, googleClientSecret: CLIENT.clientSecret, massSendInterval: INTERVAL_MS })).status).toBe(200);
    const started = await api('mailAccounts:authorize', token, { provider: 'gmail', syncStartDate: '2000-01-01T00:00:00.000Z' });
    const back = new URL(await google.consent(started.body.data.url, { email: EMAIL, decision: 'allow' }));
    expect((await api('mailAccounts:complete', token, Object.fromEntries(back.searchParams))).status).toBe(200);
    const accountId = (await api('mailAccounts:listOwn', token)).body.data[0].id;

    const created = await api('mailMassMessages:create', token, {
      accountId,
      idempotencyKey: 'bulk-kill-job-1',
      subject: SUBJECT,
      html: '<p>Hello</p>',
      addresses: addresses.join('\n'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const jobId = created.body.data.id;

    // No page open: the server's own runner sends. Kill it halfway, while Gmail holds a mail it
    // has not answered yet: Gmail will keep that mail, the dead process never hears of it.
    await waitFor('half of the mails, one on its way', () => accepted().length >= COUNT / 2 && inFlight().length > 0, 120_000, 2);
    app!.process.kill('SIGKILL');
    await new Promise((r) => app!.process.once('exit', r));
    const atKill = await statuses();
    const sentAtKill = accepted().length;
    expect(sentAtKill).toBeLessThan(COUNT);
    // The row of the mail on its way still says `sending`: only Gmail knows it went out.
    expect(atKill.sending).toBe(1);

    app = await startApp({ dir, port: Number(new URL(app!.url).port), env: env() });
    token = await signInToApp(app.url, ADMIN);
    await waitFor(
      'the job to finish',
      async () => (await api(`mailMassMessages:getOwn?filterByTk=${jobId}`, token)).body.data?.status === 'sent',
      COUNT * INTERVAL_MS + 60_000,
    );

    const job = (await api(`mailMassMessages:getOwn?filterByTk=${jobId}`, token)).body.data;
    expect(job.counts).toMatchObject({ total: COUNT, sent: COUNT, failed: 0, pending: 0, sending: 0 });
    // Exactly one mail per recipient, at the provider.
    // (The mail on its way at the kill counts: Gmail took it, whatever became of its answer.)
    const received = google.requests.filter((r) => r.path.endsWith('/messages/send') && (r.status === undefined || r.status < 300));
    const to = received.map((r) => r.mime && /^To: (.+)$/im.exec(r.mime.toString('utf8'))?.[1].trim());
    expect(to.sort()).toEqual([...addresses].sort());
    const sent = inSent();
    expect(sent).toHaveLength(COUNT);
    expect(new Set(sent.map((m) => m.messageId)).size).toBe(COUNT);
    console.log(
      `bulk kill test (${dialect}): ${sentAtKill}/${COUNT} accepted at the kill, recipients then ${JSON.stringify(atKill)}; ` +
        `after the restart ${accepted().length} accepted in all, ${sent.length} in Sent, duplicates 0`,
    );
  });
});
