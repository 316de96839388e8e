/**
 * The plugin's tables hold other people's mail, Bcc lists, drafts and (encrypted) tokens. They are
 * read only through the plugin's own actions, which scope every query to the caller (S-ACL-3…7).
 * NocoBase has several other ways to read a table by its name; each is refused here for every
 * role, root included, whatever the role's permissions say:
 * - the generic actions of a collection (list, get, query, export…) on a table, through an
 *   association into one (`users/1/someLink:list`), or reaching one by appends, fields, sort or
 *   filter paths from another collection (only possible once someone adds such an association);
 * - charts (`charts:queryData`), custom aggregate variables (`customVariables:*`), record variables
 *   of the flow engine (`variables:resolve`), custom requests carrying a record
 *   (`customRequests:send`) and the AI employees' data previews (`aiContextDatasources:*`).
 * What reads the database below NocoBase's resources (SQL collections, the flow engine's saved
 * SQL, workflow SQL nodes, backups) is a designer's or administrator's tool and cannot be fenced by a
 * plugin; tokens and client secrets are stored encrypted (secrets.ts), so they stay unreadable there.
 */
import type { Context } from '@nocobase/actions';
import type { Collection } from '@nocobase/database';
import type Application from '@nocobase/server';
import { COLLECTIONS } from './constants';
import type { Model } from './db-types';
import { handler } from './actions/respond';

const OWN_COLLECTIONS = new Set<string>(Object.values(COLLECTIONS));
/** Filter and path walks stop here: a request nested deeper than this is refused outright. */
const MAX_WALK_DEPTH = 16;

/** Thrown inside the walks; answered 403. */
class ClosedTable extends Error {}

export function registerClosedTables(app: Application, ownActions: Set<string>) {
  const refuse = (ctx: Context, what: string) => ctx.throw(403, `${what}: the email tables can only be read through the email features`);

  // Generic actions on data-source resources, refused before NocoBase looks at their params.
  app.dataSourceManager.use(
    async function emailManagerClosedTables(ctx: Context, next: () => Promise<void>) {
      const resourceName: string = ctx.action?.resourceName || '';
      const path = `${resourceName}:${ctx.action?.actionName || ''}`;
      const [source, association] = resourceName.split('.');
      if (OWN_COLLECTIONS.has(source)) {
        if (!ownActions.has(path)) refuse(ctx, path);
      } else if (!isMain(ctx.dataSource?.name)) {
        // Another data source: its collections are not ours, even when one is named alike.
      } else {
        try {
          const collection = app.db.getCollection(source);
          if (collection) {
            const target = association ? stepInto(app, collection, association) : collection;
            if (target) checkParams(app, target, ctx.action?.params || {});
          }
        } catch (error) {
          if (error instanceof ClosedTable) refuse(ctx, path);
          throw error;
        }
      }
      await next();
    },
    { tag: 'emailManagerOnlyOwnActions', before: 'validate-filter-params' },
  );

  // Features that read a collection named in the request through its repository.
  app.resourceManager.use(
    handler(async function emailManagerClosedTablesByName(ctx, next) {
      const path = `${ctx.action?.resourceName || ''}:${ctx.action?.actionName || ''}`;
      const reader = NAMED_READS[path];
      if (reader) {
        const names = (await reader(app, ctx)).filter(Boolean) as string[];
        if (names.some((name) => OWN_COLLECTIONS.has(name))) refuse(ctx, path);
      }
      await next();
    }),
    { tag: 'emailManagerClosedTablesByName', before: 'acl' },
  );
}

type NamedRead = (app: Application, ctx: Context) => Promise<Array<string | null | undefined>> | Array<string | null | undefined>;

const values = (ctx: Context) => ctx.action?.params?.values || {};

/** For each feature, the main-data-source collections one request would read. */
const NAMED_READS: Record<string, NamedRead> = {
  // `queryData` in NocoBase 2.x; `query` in older data-visualization versions.
  'charts:queryData': (_, ctx) => [mainName(values(ctx).collection, values(ctx).dataSource)],
  'charts:query': (_, ctx) => [mainName(values(ctx).collection, values(ctx).dataSource)],
  'customVariables:create': (_, ctx) => [mainName(values(ctx).options?.collection)],
  'customVariables:update': (_, ctx) => [mainName(values(ctx).options?.collection)],
  'customVariables:parse': async (app, ctx) => {
    const name = ctx.query?.name ?? ctx.action?.params?.name;
    if (!name || !app.db.getCollection('customVariables')) return [];
    const variable: Model | null = await app.db.getRepository('customVariables').findOne({ filter: { name: String(name) } });
    return [mainName(variable?.get('options')?.collection)];
  },
  'variables:resolve': (app, ctx) => {
    const raw = values(ctx);
    const body = raw.values !== undefined ? raw.values : raw;
    const items = Array.isArray(body?.batch) ? body.batch : [body];
    return items.flatMap((item: { contextParams?: unknown } | null) => recordTargets(app, item?.contextParams, 0));
  },
  'customRequests:send': async (app, ctx) => {
    const runtime = values(ctx).options?.collectionName;
    const key = ctx.action?.params?.filterByTk;
    const config: Model | null = key != null && app.db.getCollection('customRequests') ? await app.db.getRepository('customRequests').findOne({ filter: { key } }) : null;
    const configured = config?.get('options') || {};
    const dataSource = values(ctx).options?.dataSourceKey || configured.dataSourceKey || values(ctx).currentRecord?.dataSourceKey;
    return [mainName(runtime, dataSource), mainName(configured.collectionName, dataSource)];
  },
  'aiContextDatasources:preview': (_, ctx) => [mainName(values(ctx).collectionName, values(ctx).datasource)],
  'aiContextDatasources:create': (_, ctx) => [mainName(values(ctx).collectionName, values(ctx).datasource)],
  'aiContextDatasources:update': (_, ctx) => [mainName(values(ctx).collectionName, values(ctx).datasource)],
};

const isMain = (dataSource: unknown) => dataSource == null || dataSource === '' || dataSource === 'main';

/** A collection name of the main data source ("main:x", or "x" with no other data source named), else null. */
function mainName(name: unknown, dataSource?: unknown): string | null {
  if (typeof name !== 'string' || !isMain(dataSource)) return null;
  const parts = name.split(':');
  const collection = parts.pop()!;
  return parts.length && !isMain(parts[0]) ? null : collection;
}

/** The collections the flow engine's record descriptors ({collection, filterByTk}) would load. */
function recordTargets(app: Application, value: unknown, depth: number): string[] {
  if (!value || typeof value !== 'object' || depth > MAX_WALK_DEPTH) return depth > MAX_WALK_DEPTH ? [COLLECTIONS.messages] : [];
  if (Array.isArray(value)) return value.flatMap((v) => recordTargets(app, v, depth + 1));
  const record = value as Record<string, unknown>;
  const found: string[] = [];
  if (typeof record.collection === 'string' && isMain(record.dataSourceKey)) {
    found.push(record.collection);
    if (typeof record.associationName === 'string') {
      const [source, field] = record.associationName.split('.');
      found.push(source, app.db.getCollection(source)?.getField(field)?.target);
    }
  }
  for (const child of Object.values(record)) found.push(...recordTargets(app, child, depth + 1));
  return found;
}

/** The collection an association field leads to, or null; throws when it is one of ours. */
function stepInto(app: Application, collection: Collection, fieldName: string): Collection | null {
  const target = collection.getField(fieldName)?.target;
  if (!target) return null;
  if (OWN_COLLECTIONS.has(target)) throw new ClosedTable();
  return app.db.getCollection(target) || null;
}

/** Walks a dotted path (appends, fields, sort, filter keys) from `collection`; throws on reaching our tables. */
function walkPath(app: Application, collection: Collection, path: string) {
  let current: Collection | null = collection;
  for (const segment of path.replace(/^-/, '').split('.')) {
    if (!current) return null;
    current = stepInto(app, current, segment);
  }
  return current;
}

function checkParams(app: Application, collection: Collection, params: Record<string, unknown>) {
  for (const key of ['appends', 'fields', 'except', 'sort']) {
    const value = params[key];
    const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
    for (const path of list) if (typeof path === 'string') walkPath(app, collection, path.trim());
  }
  checkFilter(app, collection, params.filter, 0);
}

function checkFilter(app: Application, collection: Collection, raw: unknown, depth: number) {
  let filter = raw;
  if (typeof raw === 'string' && depth === 0) {
    try {
      filter = JSON.parse(raw);
    } catch {
      return; // NocoBase answers an unreadable filter itself.
    }
  }
  if (!filter || typeof filter !== 'object') return;
  if (depth > MAX_WALK_DEPTH) throw new ClosedTable();
  if (Array.isArray(filter)) {
    for (const item of filter) checkFilter(app, collection, item, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key.startsWith('$')) checkFilter(app, collection, value, depth + 1);
    else {
      const reached = walkPath(app, collection, key);
      if (reached) checkFilter(app, reached, value, depth + 1);
    }
  }
}
