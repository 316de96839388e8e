/**
 * Whose mail a block request may see (S-ACL-3…6), as one SQL predicate over `mailMessages m`:
 * - 'mine': the caller's own accounts;
 * - 'all' with the `email-manager.all-mail` snippet on one of the request's roles (root always;
 *   admin by default; any role an admin gives it): other users' mail, narrowed by the data scope
 *   of that role's own View permission on mailMessages when one is configured;
 * - 'all' for a department owner while `viewByDepartment` is on: also the mail of the users of
 *   the departments they own and of all sub-departments.
 * Another user's unsent mail (drafts, scheduled mail) is never shown; neither is the Bcc of their
 * mail (block-query.ts). A role's general strategy ("view all collections") grants nothing here.
 * Without a grant, 'all' falls back to 'mine'. Mail that is not the caller's own is read-only.
 */
import type { Context } from '@nocobase/actions';
import { createUserProvider, parseJsonTemplate } from '@nocobase/acl';
import { FilterParser } from '@nocobase/database';
import type Application from '@nocobase/server';
import { rolesOf } from '../acl';
import { ALL_MAIL_PERMISSION, ALL_MAIL_SNIPPET, COLLECTIONS } from '../constants';
import { type IdRow, queryGeneratorOf, rawRows } from '../db-types';
import { SqlNames } from '../messages/sql';
import type { BlockScope } from '../../shared/block-api';

export interface Visibility {
  /** The scope applied. */
  scope: BlockScope;
  /** The caller's own accounts: their mail is editable, everything else read-only. */
  ownAccountIds: Set<number>;
  /** Predicate over `m`; its values are already in `replacements`. */
  predicate: string;
  /** A list of accounts the predicate stays within, when there is one; null when not (data scope, everything). */
  accountIds: number[] | null;
  /** The predicate is exactly "accountId IN accountIds": the participants index alone can answer. */
  accountsOnly: boolean;
}

/** What the caller's roles grant on other users' mail: everything, some data scopes (SQL), or nothing. */
type OthersGrant = { everything: true } | { everything: false; scopes: string[] };

/** Boxes of mail that has not left its owner. */
const UNSENT_BOXES = ['drafts', 'scheduled'];

export class BlockScopes {
  constructor(private readonly app: Application) {}

  async visibility(ctx: Context, asked: BlockScope, sql: SqlNames, replacements: Record<string, unknown>): Promise<Visibility> {
    const userId = Number(ctx.state.currentUser.id);
    const own = await this.accountsOf([userId]);
    const ownAccountIds = new Set(own);
    const m = (field: string) => sql.column(COLLECTIONS.messages, field, 'm');
    const accountIn = (ids: number[], key: string) => {
      if (!ids.length) return '1=0';
      replacements[key] = ids;
      return `${m('accountId')} IN (:${key})`;
    };
    const minePredicate = accountIn(own, 'scopeOwn');
    const mine: Visibility = { scope: 'mine', ownAccountIds, predicate: minePredicate, accountIds: own, accountsOnly: true };
    if (asked !== 'all') return mine;

    const grant = await this.othersGrant(ctx);
    const departmentAccounts = (await this.departmentAccounts(userId)).filter((id) => !ownAccountIds.has(id));
    const others: string[] = grant.everything ? ['1=1'] : [...grant.scopes];
    if (departmentAccounts.length) others.push(accountIn(departmentAccounts, 'scopeDepartments'));
    if (!others.length) return mine;

    // Other users' mail only once it was sent or received: their drafts and scheduled mail stay theirs.
    replacements.scopeNotDraft = false;
    replacements.scopeUnsentBoxes = UNSENT_BOXES;
    const leftItsOwner = `(${m('draft')} IS NULL OR ${m('draft')} = :scopeNotDraft) AND (${m('box')} IS NULL OR ${m('box')} NOT IN (:scopeUnsentBoxes))`;
    const predicate = `(${minePredicate} OR ((${others.join(' OR ')}) AND ${leftItsOwner}))`;
    // Department owners without a wider grant see a known list of accounts: the filter's participant
    // subqueries stay within it (an index walk), though the predicate still has to be applied.
    const accountIds = grant.everything || grant.scopes.length ? null : [...own, ...departmentAccounts];
    return { scope: 'all', ownAccountIds, predicate, accountIds, accountsOnly: false };
  }

  /**
   * The all-mail snippet, role by role (union roles: any of them). A holding role's own View
   * permission on mailMessages, when configured with a data scope, narrows what it grants; its
   * variables ({{$user.id}}…) are resolved as NocoBase does for its own actions.
   */
  private async othersGrant(ctx: Context): Promise<OthersGrant> {
    const roles = rolesOf(ctx);
    if (roles.includes('root')) return { everything: true };
    const scopes: string[] = [];
    for (const name of roles) {
      const role = this.app.acl.getRole(name);
      if (!role || role.snippetAllowed(ALL_MAIL_PERMISSION) !== true) continue;
      const filter = role.getResource(COLLECTIONS.messages)?.getAction('view')?.filter;
      if (!filter || !Object.keys(filter).length) return { everything: true };
      const scoped = await this.dataScopeSql(ctx, filter);
      // A data scope we cannot express in SQL grants nothing beyond the caller's own mail.
      if (scoped) scopes.push(scoped);
    }
    return { everything: false, scopes };
  }

  /** A NocoBase filter on mailMessages as SQL over `m` (values escaped by Sequelize); null if it needs joins. */
  private async dataScopeSql(ctx: Context, template: Record<string, unknown>): Promise<string | null> {
    const collection = this.app.db.getCollection(COLLECTIONS.messages);
    try {
      const filter = await parseJsonTemplate(template, {
        state: ctx.state,
        timezone: ctx.get?.('x-timezone'),
        userProvider: createUserProvider({ db: this.app.db, currentUser: ctx.state.currentUser }),
      });
      const { where, include } = new FilterParser(filter ?? template, { collection, app: this.app }).toSequelizeParams();
      if (include?.length) return null;
      const generator = queryGeneratorOf(this.app.db.sequelize.getQueryInterface());
      const text: string = generator.getWhereConditions(where, 'm', collection.model, {});
      return text ? `(${text})` : '1=1';
    } catch (error) {
      this.app.log.warn(`email-manager: ${ALL_MAIL_SNIPPET}: a data scope on mailMessages could not be applied: ${(error as Error).message}`, { module: 'email-manager' });
      return null;
    }
  }

  /** S-ACL-6: accounts of the users in the departments the caller owns, sub-departments included. */
  private async departmentAccounts(userId: number): Promise<number[]> {
    const settings = await this.app.db.getRepository(COLLECTIONS.settings).findOne({ sort: ['id'] });
    if (!settings?.get('viewByDepartment')) return [];
    const links = this.app.db.getCollection('departmentsUsers');
    const departments = this.app.db.getCollection('departments');
    if (!links || !departments) return [];
    const owned = rawRows<{ departmentId: number }>(await links.model.findAll({ attributes: ['departmentId'], where: { userId, isOwner: true }, raw: true }));
    if (!owned.length) return [];
    // Departments are few; the tree is walked here, the mail is still filtered in SQL.
    const tree = rawRows<{ id: number; parentId: number | null }>(await departments.model.findAll({ attributes: ['id', 'parentId'], raw: true }));
    const children = new Map<number, number[]>();
    for (const d of tree) if (d.parentId != null) children.set(Number(d.parentId), [...(children.get(Number(d.parentId)) || []), Number(d.id)]);
    const reach = new Set<number>();
    const queue = owned.map((o) => Number(o.departmentId));
    while (queue.length) {
      const id = queue.pop()!;
      if (reach.has(id)) continue;
      reach.add(id);
      queue.push(...(children.get(id) || []));
    }
    const members = rawRows<{ userId: number }>(await links.model.findAll({ attributes: ['userId'], where: { departmentId: [...reach] }, raw: true }));
    return this.accountsOf([...new Set(members.map((m) => Number(m.userId)))]);
  }

  private async accountsOf(userIds: number[]): Promise<number[]> {
    if (!userIds.length) return [];
    const rows = rawRows<IdRow>(await this.app.db.getCollection(COLLECTIONS.accounts).model.findAll({ attributes: ['id'], where: { userId: userIds }, raw: true }));
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
}

/**
 * Registers the all-mail snippet (S-ACL-4). It stands for an action path no resource has, so
 * holding it opens no generic read of mailMessages (charts, exports, record variables…): only the
 * Email blocks look at it. The plugin's tables are deliberately left out of the roles' general
 * strategies (closed-tables.ts refuses every generic read of them).
 */
export function registerBlockPermissions(app: Application) {
  app.acl.registerSnippet({ name: ALL_MAIL_SNIPPET, actions: [ALL_MAIL_PERMISSION] });
}
