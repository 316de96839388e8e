/**
 * Checks shared by the personal compose records (signatures, templates): a name, an HTML body
 * under a size cap. The HTML is stored as given: it is the user's own, shown only to them in the
 * editor (which sanitizes on display), and goes out only in their own mail.
 */
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { COMPOSE_NAME_MAX } from '../../shared/compose-api';

export function nameOf(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw new UserError('Enter a name', 400, 'name');
  if (name.length > COMPOSE_NAME_MAX) throw new UserError('A name has at most {{max}} characters', 400, 'name', { max: COMPOSE_NAME_MAX });
  return name;
}

/** The HTML, '' when absent; `tooLarge` is the error for a body over `maxBytes`. */
export function htmlOf(value: unknown, maxBytes: number, tooLarge: (maxKb: number) => UserError): string {
  if (value == null) return '';
  if (typeof value !== 'string') throw new UserError('The content must be text', 400, 'html');
  if (Buffer.byteLength(value) > maxBytes) throw tooLarge(Math.floor(maxBytes / 1024));
  return value;
}

/** A positive integer id, or null for anything else (which then matches no row: 404). */
export function idOf(value: unknown): number | null {
  const id = Number(value);
  return value != null && value !== '' && Number.isInteger(id) && id > 0 ? id : null;
}

export const isUniqueViolation = (error: unknown) => (error as Error)?.name === 'SequelizeUniqueConstraintError';

/** true/false (or their string forms from a query); anything else is 400 on the field. */
export function booleanOf(value: unknown, field: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new UserError('{{field}} must be true or false', 400, field, { field });
}

/** One of the user's own rows of a personal collection, or 404 with `notFound`: another user's row is as absent as a missing one. */
export async function ownedRow(repo: { findOne(options: unknown): Promise<Model | null> }, userId: number, id: unknown, notFound: string) {
  const key = idOf(id);
  const row = key ? await repo.findOne({ filter: { id: key, userId } }) : null;
  if (!row) throw new UserError(notFound, 404, 'id');
  return row;
}

/** Deletes the user's own row (404 as `notFound` for another user's or none). */
export async function removeOwnedRow(repo: { findOne(options: unknown): Promise<Model | null>; destroy(options: unknown): Promise<unknown> }, userId: number, id: unknown, notFound: string) {
  const row = await ownedRow(repo, userId, id, notFound);
  await repo.destroy({ filterByTk: row.get('id') });
  return { deleted: 1 };
}
