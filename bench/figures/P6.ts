/**
 * P6: a bulk send of 1,000 recipients against the Gmail emulator, with the mass-send interval set
 * to 100 ms (the default 2,000 ms would take 33 minutes; the pacing is the same code). The expected
 * duration is interval × recipients. The interval is waited after the provider's answer to each
 * mail, so ratio = measured / expected = 1 + per-mail work / interval (the work: claiming the row,
 * building the MIME, the send itself; the copy in Sent is stored behind it). The emulator runs in
 * the same process and its CPU counts too.
 *
 * Halfway the runner is stopped the way a stopping app stops it (beforeStop → halt: no new mail
 * is taken), and the job is resumed by a second runner built on the same rows, as a restarted
 * process or another cluster node would. One recipient is also left as a dead process leaves it
 * (`sending`, claimed long ago, the mail already accepted by Gmail), which the resumed runner must
 * settle by asking Gmail rather than by sending again. `duplicates` counts recipients that got
 * more than one mail at the emulator. The SIGKILL of a real app process is
 * __tests__/e2e/bulk-kill.e2e.ts.
 */
import type { Figure } from '../figures';
import { fixed, startBench } from '../setup';

const COUNT = 1000;
const INTERVAL_MS = 100;

export const P6: Figure = {
  id: 'P6',
  description: 'bulk send of 1,000 recipients: duration vs interval × count, duplicates, resume',
  async run() {
    const bench = await startBench({
      provider: 'gmail',
      email: 'p6@gmail.test',
      mailbox: { count: 1 },
      emulator: { quotas: false },
      env: { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: String(1e9) },
    });
    try {
      const { app, emulator } = bench;
      const { BulkRunner } = require('../../src/server/jobs/bulk-runner');
      const plugin = app.pm.get('email-manager');
      await app.db.getCollection('mailSettings').model.update({ massSendInterval: INTERVAL_MS }, { where: {} });
      const member = await app.db.getRepository('users').findOne({ filter: { nickname: 'bench' } });
      const agent = await app.agent().login(member);
      const addresses = Array.from({ length: COUNT }, (_, i) => `reader${i}@p6.test`);
      const res = await agent.post('/api/mailMassMessages:create').send({ accountId: bench.accountId, subject: 'P6 {{record.name}}', html: '<p>Hello</p>', addresses: addresses.join('\n') });
      if (res.status !== 200) throw new Error(`create: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      const jobId = res.body.data.id;
      const accepted = () => emulator.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300);
      const recipients = app.db.getCollection('mailMassMessageRecipients').model;

      const started = Date.now();
      const first = plugin.bulkRunner;
      const firstRun = first.runDue();
      while (accepted().length < COUNT / 2) await new Promise((r) => setTimeout(r, 20));
      first.halt();
      await firstRun;
      // As a dead process leaves a mail that Gmail took: back in `sending`, claimed long ago.
      const last: any = await recipients.findOne({ where: { jobId, status: 'sent' }, order: [['position', 'DESC']] });
      await last.update({ status: 'sending', claimedAt: new Date(Date.now() - 3600_000), providerMessageId: null });
      const resumedAt = accepted().length;

      // The restarted process (or another node): a new runner over the same rows.
      const second = new BulkRunner(app, plugin.settings, (first as any).delivery, (first as any).status);
      await second.runDue();
      const durationS = (Date.now() - started) / 1000;

      const perAddress = new Map<string, number>();
      for (const r of accepted()) {
        const to = /^To: (.+)$/im.exec(r.mime!.toString('utf8'))?.[1].trim() || '';
        perAddress.set(to, (perAddress.get(to) || 0) + 1);
      }
      const duplicates = [...perAddress.values()].filter((n) => n > 1).length;
      const job: any = await app.db.getCollection('mailMassMessages').model.findOne({ where: { id: jobId }, raw: true });
      const expectedS = (INTERVAL_MS * COUNT) / 1000;
      return {
        recipients: COUNT,
        sent: Number(job.sentCount),
        at_provider: perAddress.size,
        duplicates,
        duration_s: fixed(durationS, 1),
        expected_s: fixed(expectedS, 1),
        ratio: fixed(durationS / expectedS),
        interval_ms: INTERVAL_MS,
        resumed: resumedAt < COUNT && Number(job.sentCount) === COUNT ? 'yes' : 'no',
        resumed_after: resumedAt,
      };
    } finally {
      await bench.close();
    }
  },
};
