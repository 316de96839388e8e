/**
 * Removes expired uploads (UPLOAD_TTL_MS) of every user on a schedule. A user's own next upload
 * prunes their folder too, but a user who never uploads again (or left) would otherwise keep
 * their files for good. Every node sweeps its own view of the storage; two nodes on shared
 * storage removing the same old file is harmless (rm with force).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type Application from '@nocobase/server';
import { pruneExpired, uploadsDir } from './uploads';

/** Hourly, at minute 17: an upload outlives its week by an hour at most. */
export const UPLOAD_SWEEP_CRON = '0 17 * * * *';

export class UploadSweeper {
  private job: any = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(private readonly app: Application) {}

  start() {
    if (this.job) return;
    const onTick = () => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error) => this.app.log.warn(`email-manager: the upload sweep failed: ${(error as Error)?.message}`, { module: 'email-manager' }))
        .finally(() => (this.sweeping = null));
    };
    this.job = this.app.cronJobManager.addJob({ cronTime: UPLOAD_SWEEP_CRON, onTick } as any);
  }

  stop() {
    if (!this.job) return;
    this.app.cronJobManager.removeJob(this.job);
    this.job = null;
  }

  /** Every user's expired uploads, at `now`. Answers the files removed. */
  async sweep(now = Date.now()): Promise<number> {
    const root = uploadsDir();
    const folders = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
    let removed = 0;
    for (const folder of folders) {
      // Only the per-user folders this plugin makes (numeric user ids).
      if (!folder.isDirectory() || !/^\d+$/.test(folder.name)) continue;
      // The folder itself stays: an upload may be about to land in it.
      removed += await pruneExpired(path.join(root, folder.name), now);
    }
    return removed;
  }
}
