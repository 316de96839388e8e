/**
 * Personal labels (S-CENTER-8): the user's own, kept in NocoBase only, usable on the mail of
 * every account the user owns. Applying a label never reaches the provider.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { ChangeInput, LABEL_NAME_MAX, LabelView } from '../../shared/mail-center-api';
import type { MailChanges } from './mail-changes';
import { notifyUser } from './notify';

/** antd preset names, or a #rgb/#rrggbb colour. */
const COLOR = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,12})$/i;
export const DEFAULT_LABEL_COLOR = 'blue';

export class LabelsService {
  constructor(
    private readonly app: Application,
    private readonly changes: MailChanges,
  ) {}

  private get repo() {
    return this.app.db.getRepository(COLLECTIONS.labels);
  }

  async list(userId: number): Promise<LabelView[]> {
    const rows = await this.repo.find({ filter: { userId }, sort: ['name', 'id'] });
    return rows.map(toLabelView);
  }

  async ownIds(userId: number): Promise<number[]> {
    return ((await this.repo.find({ filter: { userId }, fields: ['id'] })) as Model[]).map((r) => Number(r.get('id')));
  }

  private async owned(userId: number, id: unknown) {
    const n = Number(id);
    const row = Number.isInteger(n) && n > 0 ? await this.repo.findOne({ filter: { id: n, userId } }) : null;
    if (!row) throw new UserError('Label not found', 404, 'id');
    return row;
  }

  /** Creates a label, or renames/recolours one (with `id`). */
  async save(userId: number, input: { id?: unknown; name?: unknown; color?: unknown }): Promise<LabelView> {
    const name = String(input?.name ?? '').trim();
    if (!name) throw new UserError('Enter a label name', 400, 'name');
    if (name.length > LABEL_NAME_MAX) throw new UserError('A label name has at most {{max}} characters', 400, 'name', { max: LABEL_NAME_MAX });
    const color = input?.color == null || input.color === '' ? DEFAULT_LABEL_COLOR : String(input.color);
    if (!COLOR.test(color)) throw new UserError('Invalid colour: {{value}}', 400, 'color', { value: color });
    const nameKey = name.toLowerCase();
    const existing = input?.id != null ? await this.owned(userId, input.id) : null;
    const clash = await this.repo.findOne({ filter: { userId, nameKey } });
    if (clash && clash.get('id') !== existing?.get('id')) throw new UserError('A label named "{{name}}" already exists', 400, 'name', { name });
    if (existing) {
      await this.repo.update({ filterByTk: existing.get('id'), values: { name, nameKey, color } });
      return toLabelView(await this.repo.findOne({ filterByTk: existing.get('id') }));
    }
    return toLabelView(await this.repo.create({ values: { userId, name, nameKey, color } }));
  }

  async remove(userId: number, id: unknown) {
    const row = await this.owned(userId, id);
    await this.app.db.sequelize.transaction(async (transaction) => {
      await this.app.db.getRepository(COLLECTIONS.labelLinks).destroy({ filter: { labelId: row.get('id') }, transaction });
      await this.repo.destroy({ filterByTk: row.get('id'), transaction });
    });
    notifyUser(this.app, userId, []);
    return { id: Number(row.get('id')) };
  }

  /** Puts labels on, or takes them off, the mails (or conversations) of the input. */
  async apply(userId: number, input: ChangeInput & { add?: unknown; remove?: unknown }) {
    const add = await this.ownedList(userId, input?.add);
    const remove = await this.ownedList(userId, input?.remove);
    if (!add.length && !remove.length) throw new UserError('Choose a label', 400, 'add');
    const messageIds = (await this.changes.resolve(userId, input)).map((r) => Number(r.id));
    const links = this.app.db.getCollection(COLLECTIONS.labelLinks).model;
    await this.app.db.sequelize.transaction(async (transaction) => {
      if (remove.length) await links.destroy({ where: { labelId: remove, messageId: messageIds }, transaction });
      const rows = add.flatMap((labelId) => messageIds.map((messageId) => ({ labelId, messageId })));
      // Already-labelled mail is left as it is.
      if (rows.length) await links.bulkCreate(rows, { ignoreDuplicates: true, transaction });
    });
    notifyUser(this.app, userId, []);
    return { changed: messageIds.length };
  }

  private async ownedList(userId: number, value: unknown): Promise<number[]> {
    if (value == null) return [];
    const ids = (Array.isArray(value) ? value : [value]).map(Number);
    const own = await this.ownIds(userId);
    if (ids.some((id) => !own.includes(id))) throw new UserError('Label not found', 404, 'labels');
    return [...new Set(ids)];
  }
}

export function toLabelView(row: Model): LabelView {
  return { id: Number(row.get('id')), name: row.get('name'), color: row.get('color') || DEFAULT_LABEL_COLOR };
}
