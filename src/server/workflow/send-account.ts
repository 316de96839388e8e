/**
 * Which account a "Send email from mailbox" node sends from (SendAccountChoice of
 * src/shared/workflow-api.ts), always one whose owner allows workflows (consent.ts):
 * - fixed: the account chosen in the editor;
 * - triggering-user: the account that received the mail of an "Email received" execution, else
 *   an account of the user who triggered the workflow (`$context.user`, as action triggers set it);
 * - record-user: an account of the user a variable or a scope path names (an id or a user record).
 * A user's account is the one with the given address, else their oldest account that allows workflows.
 */
import type Application from '@nocobase/server';
import type { SendAccountChoice } from '../../shared/workflow-api';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { assertWorkflowAccess } from './consent';

/** The workflow's scope (`$context`, `$jobsMapByNodeKey`, `$scopes`…) for a path such as `$context.data.createdById`. */
export type ScopeReader = (path: string) => unknown;

/** `a.b.0.c` in `root`; undefined as soon as a step is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
  let value = root;
  for (const step of path.split('.').filter(Boolean)) {
    if (value == null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A user id from an id, a user record ({ id }) or a list of them (the first). */
function userIdOf(value: unknown): number | null {
  const first = Array.isArray(value) ? value[0] : value;
  const raw = first && typeof first === 'object' ? (first as { id?: unknown }).id : first;
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 && String(raw).trim() !== '' ? id : null;
}

export class SendAccounts {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {}

  /** The account that sends; a UserError saying why there is none. */
  async resolve(choice: SendAccountChoice | undefined, context: Record<string, unknown> | null, scope: ScopeReader): Promise<Model> {
    const account = await this.find(choice, context ?? {}, scope);
    assertWorkflowAccess(account);
    return account;
  }

  private async find(choice: SendAccountChoice | undefined, context: Record<string, unknown>, scope: ScopeReader): Promise<Model> {
    switch (choice?.mode) {
      case 'fixed': {
        const account = await this.accounts.byId(Number(choice.accountId));
        if (!account) throw new UserError('Mail account not found', 404, 'account');
        return account;
      }
      case 'triggering-user': {
        const received = (context.message as { accountId?: unknown } | undefined)?.accountId;
        if (received != null) {
          const account = await this.accounts.byId(Number(received));
          if (!account) throw new UserError('Mail account not found', 404, 'account');
          return account;
        }
        return this.ofUser(userIdOf(context.user ?? context.userId), choice.email);
      }
      case 'record-user': {
        // A variable ({{…}}) is resolved with the rest of the config; a bare path is read here.
        const value = typeof choice.path === 'string' && choice.path.trim().startsWith('$') ? scope(choice.path.trim()) : choice.path;
        return this.ofUser(userIdOf(value), choice.email);
      }
      default:
        throw new UserError('Choose the account that sends', 400, 'account');
    }
  }

  private async ofUser(userId: number | null, email?: string): Promise<Model> {
    if (userId == null) throw new UserError('No user was found to send from', 400, 'account');
    const address = typeof email === 'string' ? email.trim().toLowerCase() : '';
    const filter: Record<string, string | number | boolean> = { userId, workflowAccess: true };
    if (address) filter.email = address;
    const account = await this.app.db.getRepository(COLLECTIONS.accounts).findOne({ filter, sort: ['id'] });
    if (!account) throw new UserError('This user has no mailbox available to workflows', 404, 'account');
    return account;
  }
}
