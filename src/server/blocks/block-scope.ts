/**
 * Whose mail a block request may see (S-ACL-3…6), as one SQL predicate over `mailMessages m`:
 * - 'mine': the caller's own accounts;
 * - 'all' with `view` on mailMessages in NocoBase's ACL (root; admin through its "all
 *   collections" strategy; any role given the action): every mail, narrowed by that role's data
 *   scope, which NocoBase resolves (variables included) and Sequelize turns into SQL;
 * - 'all' for a department owner while `viewByDepartment` is on: also the mail of the users of
 *   the departments they own and of all sub-departments.
 * Without either, 'all' falls back to 'mine'. Mail that is not the caller's own is read-only.
 */
import { FilterParser } from '@nocobase/database';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { SqlNames } from '../messages/sql';
import type { BlockScope } from '../../shared/block-api';

export interface Visibility {
  /** The scope applied. */
  scope: BlockScope;
  /** The caller's own accounts: their mail is editable, everything else read-only. */
  ownAccountIds: Set<number>;
  /** Predicate over `m`; its values are already in `replacements`. */
  predicate: string;
  /** The accounts the predicate allows, when it is a plain list; null when not (data scope, everything). */
  accountIds: number[] | null;
}

export class BlockScopes {
  constructor(private readonly app: Application) {}

  async visibility(ctx: any, asked: BlockScope, sql: SqlNames, replacements: Record<string, unknown>): Promise<Visibility> {
    const userId = Number(ctx.state.currentUser.id);
    const own = await this.accountsOf([userId]);
    const ownAccountIds = new Set(own);
    const accountIn = (ids: number[], key: string) => {
      if (!ids.length) return '1=0';
      replacements[key] = ids;
      return `${sql.column(COLLECTIONS.messages, 'accountId', 'm')} IN (:${key})`;
    };
    const mine: Visibility = { scope: 'mine', ownAccountIds, predicate: accountIn(own, 'scopeOwn'), accountIds: own };
    if (asked !== 'all') return mine;

    const departmentAccounts = (await this.departmentAccounts(userId)).filter((id) => !ownAccountIds.has(id));
    const permission = await this.viewPermission(ctx);
    if (permission) {
      if (!permission.filter) return { scope: 'all', ownAccountIds, predicate: '1=1', accountIds: null };
      const scoped = this.dataScopeSql(permission.filter);
      // A data scope we cannot express in SQL grants nothing beyond the rules below.
      if (scoped) {
        const parts = [mine.predicate, scoped];
        if (departmentAccounts.length) parts.push(accountIn(departmentAccounts, 'scopeDepartments'));
        return { scope: 'all', ownAccountIds, predicate: `(${parts.join(' OR ')})`, accountIds: null };
      }
    }
    if (!departmentAccounts.length) return mine;
    const ids = [...own, ...departmentAccounts];
    return { scope: 'all', ownAccountIds, predicate: accountIn(ids, 'scopeOwn'), accountIds: ids };
  }

  /**
   * The caller's `view` permission on mailMessages with its data scope (variables resolved), or
   * null. NocoBase's ACL decides: a role-specific permission, the role's strategy, root. A
   * strategy that allows only "own" records (member) needs a createdById mail does not have, so
   * NocoBase refuses it, and the caller keeps their own mail only.
   */
  private async viewPermission(ctx: any): Promise<{ filter?: Record<string, unknown> } | null> {
    try {
      const result: any = await this.app.acl.resolveActionParams(ctx, {
        resourceName: COLLECTIONS.messages,
        actionName: 'view',
        params: {},
      } as any);
      if (!result?.can) return null;
      const filter = result.parsedParams?.filter;
      return filter && Object.keys(filter).length ? { filter } : {};
    } catch {
      return null;
    }
  }

  /** A NocoBase filter on mailMessages as SQL over `m` (values escaped by Sequelize); null if it needs joins. */
  private dataScopeSql(filter: Record<string, unknown>): string | null {
    const collection = this.app.db.getCollection(COLLECTIONS.messages);
    try {
      const { where, include } = new FilterParser(filter, { collection, app: this.app }).toSequelizeParams();
      if (include?.length) return null;
      const generator = (this.app.db.sequelize.getQueryInterface() as any).queryGenerator;
      const text: string = generator.getWhereConditions(where, 'm', collection.model, {});
      return text ? `(${text})` : '1=1';
    } catch (error) {
      this.app.log.warn(`email-manager: a data scope on mailMessages could not be applied: ${(error as Error).message}`, { module: 'email-manager' });
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
    const owned: any[] = await links.model.findAll({ attributes: ['departmentId'], where: { userId, isOwner: true }, raw: true });
    if (!owned.length) return [];
    // Departments are few; the tree is walked here, the mail is still filtered in SQL.
    const tree: any[] = await departments.model.findAll({ attributes: ['id', 'parentId'], raw: true });
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
    const members: any[] = await links.model.findAll({ attributes: ['userId'], where: { departmentId: [...reach] }, raw: true });
    return this.accountsOf([...new Set(members.map((m) => Number(m.userId)))]);
  }

  private async accountsOf(userIds: number[]): Promise<number[]> {
    if (!userIds.length) return [];
    const rows: any[] = await this.app.db.getCollection(COLLECTIONS.accounts).model.findAll({ attributes: ['id'], where: { userId: userIds }, raw: true });
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
}

/**
 * Lets roles' general strategies ("all collections": admin) reach mailMessages, so NocoBase's
 * ACL answers S-ACL-4's "view on mailMessages" like for any collection. NocoBase applies
 * strategies only to the collections it lists; plugin tables are not listed by default. The
 * generic CRUD actions on the table stay closed (acl.ts refuses them before the ACL runs).
 */
export function registerBlockPermissions(app: Application) {
  app.acl.appendStrategyResource(COLLECTIONS.messages);
}
