/**
 * The beat every background job shares (src/server/jobs/cron-worker.ts): one cron entry while
 * started, no overlapping ticks on one node, a failure logged with the plugin's module name.
 */
import { describe, expect, it } from 'vitest';
import { CronWorker, LOG_MODULE } from '../../src/server/jobs/cron-worker';

function fakeApp() {
  const jobs = new Set<any>();
  const warnings: { text: string; meta: any }[] = [];
  const app: any = {
    cronJobManager: {
      jobs,
      addJob: (options: any) => {
        const job = { ...options };
        jobs.add(job);
        return job;
      },
      removeJob: (job: any) => jobs.delete(job),
    },
    log: { warn: (text: string, meta: any) => warnings.push({ text, meta }) },
  };
  return { app, jobs, warnings };
}

describe('CronWorker', () => {
  it('adds one cron entry while started, and removes it on stop', () => {
    const { app, jobs } = fakeApp();
    const worker = new CronWorker(app, { cron: '0 * * * * *', tick: async () => undefined, failure: 'x' });
    worker.start();
    worker.start();
    expect(jobs.size).toBe(1);
    expect([...jobs][0].cronTime).toBe('0 * * * * *');
    expect(worker.started).toBe(true);
    worker.stop();
    worker.stop();
    expect(jobs.size).toBe(0);
    expect(worker.started).toBe(false);
  });

  it('does not start a tick while the previous one runs', async () => {
    const { app, jobs } = fakeApp();
    let runs = 0;
    let finish!: () => void;
    const worker = new CronWorker(app, {
      cron: '* * * * * *',
      tick: () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      failure: 'x',
    });
    worker.start();
    const onTick = [...jobs][0].onTick;
    const first = worker.trigger();
    onTick();
    expect(worker.trigger()).toBe(first);
    expect(runs).toBe(1);
    finish();
    await first;
    // Over: the next beat runs.
    const second = worker.trigger();
    expect(second).not.toBe(first);
    expect(runs).toBe(2);
    finish();
    await second;
  });

  it('logs a failed tick under the plugin module, and runs again at the next beat', async () => {
    const { app, warnings } = fakeApp();
    let runs = 0;
    const worker = new CronWorker(app, {
      cron: '* * * * * *',
      tick: async () => {
        runs++;
        throw new Error('database gone');
      },
      failure: 'scheduled send failed',
    });
    await worker.trigger();
    await worker.trigger();
    expect(runs).toBe(2);
    expect(warnings).toEqual([
      { text: `${LOG_MODULE}: scheduled send failed: database gone`, meta: { module: LOG_MODULE } },
      { text: `${LOG_MODULE}: scheduled send failed: database gone`, meta: { module: LOG_MODULE } },
    ]);
  });
});
