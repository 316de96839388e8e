/**
 * Personal templates (S-TPL-1, S-ACL-8): a name unique per user whatever its case, an optional
 * subject (the editor fills it only when the mail has none) and a body.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { MAX_TEMPLATES_PER_USER, TEMPLATE_HTML_MAX_BYTES, TEMPLATE_SUBJECT_MAX, TemplateView } from '../../shared/compose-api';
import { htmlOf, isUniqueViolation, nameOf, ownedRow, removeOwnedRow } from './text-input';

export class TemplateService {
  constructor(private readonly app: Application) {}

  private get repo() {
    return this.app.db.getRepository(COLLECTIONS.templates);
  }

  async list(userId: number): Promise<TemplateView[]> {
    const rows = await this.repo.find({ filter: { userId }, sort: ['nameKey', 'id'] });
    return rows.map(toTemplateView);
  }

  async save(userId: number, input: Record<string, unknown>): Promise<TemplateView> {
    const existing = input.id != null && input.id !== '' ? await this.owned(userId, input.id) : null;
    // An update changes what it names and keeps the rest.
    const kept = (field: string) => existing && input[field] === undefined;
    const name: string = kept('name') ? existing!.get('name') : nameOf(input.name);
    const nameKey = name.toLowerCase();
    const subject: string = kept('subject') ? existing!.get('subject') || '' : subjectOf(input.subject);
    const html: string = kept('html')
      ? existing!.get('html') || ''
      : htmlOf(input.html, TEMPLATE_HTML_MAX_BYTES, (max) => new UserError('The template is too large (at most {{max}} KB)', 400, 'html', { max }));
    const clash = await this.repo.findOne({ filter: { userId, nameKey } });
    const taken = () => new UserError('A template named "{{name}}" already exists', 400, 'name', { name });
    if (clash && clash.get('id') !== existing?.get('id')) throw taken();
    if (!existing && (await this.repo.count({ filter: { userId } })) >= MAX_TEMPLATES_PER_USER) {
      throw new UserError('You can keep at most {{max}} templates', 400, 'name', { max: MAX_TEMPLATES_PER_USER });
    }
    const values = { userId, name, nameKey, subject, html };
    try {
      if (existing) {
        await this.repo.update({ filterByTk: existing.get('id'), values });
        return toTemplateView(await this.repo.findOne({ filterByTk: existing.get('id') }));
      }
      return toTemplateView(await this.repo.create({ values }));
    } catch (error) {
      // Two saves of the same name at once: the unique index lets one through.
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  }

  remove(userId: number, id: unknown) {
    return removeOwnedRow(this.repo, userId, id, 'Template not found');
  }

  private owned(userId: number, id: unknown) {
    return ownedRow(this.repo, userId, id, 'Template not found');
  }
}

/** One header line, like the editor's subject. */
function subjectOf(value: unknown): string {
  if (value == null) return '';
  if (typeof value !== 'string') throw new UserError('The content must be text', 400, 'subject');
  const subject = value.replace(/[\r\n]+/g, ' ').trim();
  if (subject.length > TEMPLATE_SUBJECT_MAX) throw new UserError('A subject has at most {{max}} characters', 400, 'subject', { max: TEMPLATE_SUBJECT_MAX });
  return subject;
}

export function toTemplateView(row: Model): TemplateView {
  return { id: Number(row.get('id')), name: row.get('name'), subject: row.get('subject') || '', html: row.get('html') || '' };
}
