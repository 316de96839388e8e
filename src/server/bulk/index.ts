/**
 * Bulk send (S-BULK-*): the job service the actions use and the runner that sends, wired from
 * the plugin's existing services (accounts, settings, the send pipeline's LocalCopy).
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import type { LocalCopy } from '../send/local-copy';
import type { SettingsService } from '../settings/settings-service';
import { Delivery } from './delivery';
import { BulkJobService } from './job-service';
import { JobStatus } from './job-status';
import { RecipientSource } from './recipient-source';
import { BulkRunner } from '../jobs/bulk-runner';

export function bulkSend(app: Application, s: { accounts: AccountService; settings: SettingsService; local: LocalCopy }) {
  const status = new JobStatus(app);
  const runner = new BulkRunner(app, s.settings, new Delivery(app, s.accounts, s.local), status);
  const jobs = new BulkJobService(app, { accounts: s.accounts, source: new RecipientSource(app), status, wake: () => runner.wake() });
  return { jobs, runner };
}

export { BulkRunner, BulkJobService };
