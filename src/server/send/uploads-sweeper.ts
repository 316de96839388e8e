/**
 * Removes expired uploads (UPLOAD_TTL_MS) of every user on a schedule. A user's own next upload
 * prunes their folder too, but a user who never uploads again (or left) would otherwise keep
 * their files for good. Every node sweeps its own view of the storage; two nodes on shared
 * storage removing the same old file is harmless (rm with force).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type Application from '@nocobase/server';
import { CronWorker } from '../jobs/cron-worker';
import { pruneExpired, uploadsDir } from './uploads';

/** Hourly, at minute 17: an upload outlives its week by an hour at most. */
export const UPLOAD_SWEEP_CRON = '0 17 * * * *';

export class UploadSweeper {
  private readonly beat: CronWorker;

  constructor(app: Application) {
    this.beat = new CronWorker(app, { cron: UPLOAD_SWEEP_CRON, tick: () => this.sweep(), failure: 'the upload sweep failed' });
  }

  start() {
    this.beat.start();
  }

  stop() {
    this.beat.stop();
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
