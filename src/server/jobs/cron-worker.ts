/**
 * The beat of a background job: a cron entry on the app's cronJobManager (so it starts and stops
 * with the app), a tick that never overlaps the previous one on this node, and the log line of a
 * failure. Every node of a cluster runs the same beats; row claims (claim.ts) keep them from
 * working on the same row.
 */
import type Application from '@nocobase/server';

/** Module and prefix of every background job's log line: one name to filter the plugin's work by. */
export const LOG_MODULE = 'email-manager';

/** Logs what went wrong in the background; a beat has no caller to throw to. */
export function warnOf(app: Application, what: string, error: unknown) {
  app.log.warn(`${LOG_MODULE}: ${what}: ${(error as Error)?.message}`, { module: LOG_MODULE });
}

export interface CronWorkerOptions {
  /** When it beats: a cron expression with seconds, e.g. '0 * * * * *' for every minute. */
  cron: string;
  /** One beat's work. */
  tick: () => Promise<unknown>;
  /** What the log says when a beat throws, e.g. 'scheduled send failed'. */
  failure: string;
}

export class CronWorker {
  private job: ReturnType<Application['cronJobManager']['addJob']> | null = null;
  /** This node's beat in progress: a slow beat is not overlapped by the next one on the same node. */
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly app: Application,
    private readonly options: CronWorkerOptions,
  ) {}

  get started() {
    return this.job != null;
  }

  start() {
    if (this.job) return;
    this.job = this.app.cronJobManager.addJob({ cronTime: this.options.cron, onTick: () => this.trigger() });
  }

  /** No new beats; a beat in progress finishes. */
  stop() {
    if (!this.job) return;
    this.app.cronJobManager.removeJob(this.job);
    this.job = null;
  }

  /**
   * A beat now (the cron's, or a wake-up), unless one is in progress: then that one is answered.
   * Never rejects: a failure is logged.
   */
  trigger(): Promise<void> {
    this.ticking ??= this.options
      .tick()
      .then(
        () => undefined,
        (error) => warnOf(this.app, this.options.failure, error),
      )
      .finally(() => (this.ticking = null));
    return this.ticking;
  }
}
