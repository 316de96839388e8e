/**
 * Off-boarding: when a NocoBase user is deleted, everything this plugin keeps for them goes with
 * them, and nothing more is sent in their name.
 * - In the deleting transaction (users.afterDestroy passes it; without one we open our own): the
 *   user's accounts with their mail, participants, attachments, notes, label links, sync logs,
 *   send requests and signatures (AccountService.purge); their scheduled mail is part of that
 *   mail, so no beat can send it; their bulk jobs and recipients (bulk/user-jobs.ts); and their
 *   personal rows (labels, templates, compose settings, OAuth requests). A rollback keeps it all.
 * - After the commit only (nothing outside the database can be rolled back): each account's
 *   token is revoked at the provider, best effort (Google revokes the grant; Microsoft has no
 *   revocation of one app's token, so it is forgotten), failures logged without any secret; the
 *   cached attachment files and the user's pending uploads are removed.
 * A user deleted while the plugin was disabled, or by a bulk DELETE without per-row hooks, is
 * caught by the hourly sweep of rows whose user no longer exists.
 *
 * NocoBase 2.2.15 has no "disabled user" (plugin-users' users collection has no status or
 * enabled field, and @nocobase/auth checks none): a user either exists and may sign in, or is
 * deleted. So there is no pause state to honour here.
 */
import fs from 'node:fs/promises';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type AccountRow, type IdRow, type Model, rawRows, type Transaction } from '../db-types';
import { attachmentCacheDir } from '../messages/attachment-service';
import { dropJobsOfUser } from '../bulk/user-jobs';
import { CronWorker } from '../jobs/cron-worker';
import type { ProviderName, Tokens } from '../providers/types';
import { uploadsDir } from '../send/uploads';
import type { AccountService } from './account-service';

/** Hourly, at minute 41: finds the rows of users deleted without our hook. */
export const ORPHAN_SWEEP_CRON = '0 41 * * * *';

/** Rows owned by a user directly (not through an account), deleted with the user. */
const OWNED_BY_USER = [
  COLLECTIONS.templates,
  COLLECTIONS.composeSettings,
  COLLECTIONS.signatures,
  COLLECTIONS.sendRequests,
  COLLECTIONS.oauthRequests,
  COLLECTIONS.syncLogs,
];

/** What is left to do once the deletion has committed. */
interface Aftermath {
  userId: number;
  accounts: { id: number; provider: ProviderName; tokens: Tokens | null }[];
  /** Bulk recipients that were still waiting and will never be sent. */
  bulkCanceled: number;
}

export class UserOffboarding {
  private readonly beat: CronWorker;

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {
    this.beat = new CronWorker(app, { cron: ORPHAN_SWEEP_CRON, tick: () => this.sweepOrphans(), failure: 'the sweep of deleted users failed' });
  }

  /** Listens to user deletions on the app's database. */
  register() {
    this.app.db.on('users.afterDestroy', (user: Model, options?: { transaction?: Transaction }) => this.userDeleted(Number(user.get('id')), options?.transaction));
  }

  start() {
    this.beat.start();
  }

  stop() {
    this.beat.stop();
  }

  /**
   * Off-boards one deleted user. Inside `transaction` when given: the provider and file work
   * then waits for its commit (Sequelize runs commit hooks once the COMMIT has returned).
   */
  async userDeleted(userId: number, transaction?: Transaction) {
    if (!Number.isInteger(userId) || userId <= 0) return;
    if (transaction) {
      const aftermath = await this.purge(userId, transaction);
      // A savepoint's commit is not the real one: wait for the outermost transaction.
      let root = transaction as Transaction & { parent?: Transaction };
      while (root.parent) root = root.parent;
      root.afterCommit(() => this.finish(aftermath));
      return;
    }
    const aftermath = await this.app.db.sequelize.transaction((own) => this.purge(userId, own));
    await this.finish(aftermath);
  }

  /** Off-boards every user that has rows here but no longer exists. Answers their ids. */
  async sweepOrphans(): Promise<number[]> {
    const users = this.app.db.getCollection('users')?.model;
    if (!users) return [];
    const owners = new Set<number>();
    for (const name of [COLLECTIONS.accounts, COLLECTIONS.massMessages, COLLECTIONS.labels, ...OWNED_BY_USER]) {
      const rows = rawRows<{ userId: number | null }>(await this.model(name).findAll({ attributes: ['userId'], group: ['userId'], raw: true }));
      for (const r of rows) if (r.userId != null) owners.add(Number(r.userId));
    }
    if (!owners.size) return [];
    const alive = new Set(rawRows<IdRow>(await users.findAll({ attributes: ['id'], where: { id: [...owners] }, raw: true })).map((r) => Number(r.id)));
    const gone = [...owners].filter((id) => !alive.has(id));
    for (const userId of gone) await this.userDeleted(userId);
    return gone;
  }

  /** The database part, in `transaction`. Reads the tokens first: the rows holding them go. */
  private async purge(userId: number, transaction: Transaction): Promise<Aftermath> {
    const rows = rawRows<AccountRow>(await this.model(COLLECTIONS.accounts).findAll({
      attributes: ['id', 'provider', 'credentials'],
      where: { userId },
      raw: true,
      transaction,
    }));
    const accounts: Aftermath['accounts'] = [];
    for (const row of rows) {
      // A credential that cannot be opened (AES key changed) must not keep the user's data.
      const tokens = await this.accounts.secrets.openJson<Tokens>(row.credentials).catch(() => null);
      accounts.push({ id: Number(row.id), provider: row.provider, tokens });
    }
    await this.accounts.purge(
      accounts.map((a) => a.id),
      transaction,
    );
    const bulkCanceled = await dropJobsOfUser(this.app, userId, transaction);
    const labelIds = rawRows<IdRow>(await this.model(COLLECTIONS.labels).findAll({ attributes: ['id'], where: { userId }, raw: true, transaction })).map((r) => r.id);
    if (labelIds.length) await this.model(COLLECTIONS.labelLinks).destroy({ where: { labelId: labelIds }, transaction });
    await this.model(COLLECTIONS.labels).destroy({ where: { userId }, transaction });
    for (const name of OWNED_BY_USER) await this.model(name).destroy({ where: { userId }, transaction });
    return { userId, accounts, bulkCanceled };
  }

  /** After the commit: revoke, remove files, log. Never throws (a commit hook's error would fail the deletion's caller). */
  private async finish(aftermath: Aftermath) {
    try {
      const { userId, accounts, bulkCanceled } = aftermath;
      // Sequelize runs commit hooks even when the COMMIT itself failed: then the user is still here.
      if (await this.app.db.getCollection('users')?.model.findByPk(userId, { attributes: ['id'] })) return;
      for (const account of accounts) {
        await this.revoke(userId, account);
        await fs.rm(attachmentCacheDir(account.id), { recursive: true, force: true });
      }
      await fs.rm(uploadsDir(userId), { recursive: true, force: true });
      if (accounts.length || bulkCanceled) {
        this.app.log.info(
          `email-manager: deleted user ${userId}: removed ${accounts.length} mail account(s) and their mail, canceled ${bulkCanceled} unsent bulk mail(s)`,
          { module: 'email-manager' },
        );
      }
    } catch (error) {
      this.warn(`off-boarding of user ${aftermath.userId} did not finish: ${(error as Error)?.message}`);
    }
  }

  private async revoke(userId: number, account: Aftermath['accounts'][number]) {
    if (!account.tokens) return;
    try {
      const provider = await this.accounts.provider(account.provider);
      await provider.revoke(account.tokens);
    } catch (error) {
      // Provider messages can quote what they were sent: never let a token reach the log.
      this.warn(`revoking the token of account ${account.id} (${account.provider}) of deleted user ${userId} failed: ${redact((error as Error)?.message, account.tokens)}`);
    }
  }

  private model(name: string) {
    return this.app.db.getCollection(name).model;
  }

  private warn(text: string) {
    this.app.log.warn(`email-manager: ${text}`, { module: 'email-manager' });
  }
}

/** The text with every token of `tokens` blanked out. */
export function redact(text: unknown, tokens: Tokens): string {
  let out = String(text ?? '');
  for (const secret of [tokens.accessToken, tokens.refreshToken]) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out;
}
