/**
 * The filter tree over mailMessages that every mail filter is reduced to before any SQL is
 * written: the Email table block's Data scope and the workflow trigger's filter (block-filter.ts)
 * and the mail center's thread list (thread-filter.ts). compile.ts turns it into SQL, so each condition (box, account,
 * label, participant, date, flag, text search…) has one SQL form whichever list asked for it.
 * The constructors fold constants as they build, so the compiler never sees a true/false child.
 */
import type { ParticipantRole } from '../participant-index';

/** Columns of mailMessages a list node tests ("is one of" / "is none of"). */
export type ListField = 'accountId' | 'box' | 'scheduleStatus';
/** Boolean columns of mailMessages. */
export type FlagField = 'read' | 'draft' | 'hasAttachments' | 'starred';
export type DateSign = '>=' | '>' | '<' | '<=' | '=';

/**
 * How a participant test matches a row of mailMessageParticipants: the address (or domain) is
 * one of `equals`, or contains one of `contains`; `names` also lets the display name contain it.
 */
export type ParticipantMatch =
  | { column: 'address' | 'domain'; equals: string[] }
  | { column: 'address' | 'domain'; contains: string[]; names?: boolean };

export type FilterNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; items: FilterNode[] }
  /** Negated, a NULL column counts as "none of them", unless `strict` (then NULL matches neither). */
  | { kind: 'list'; field: ListField; values: (string | number)[]; negate: boolean; strict?: boolean }
  /** false also matches NULL (a column never written). */
  | { kind: 'flag'; field: FlagField; value: boolean }
  | { kind: 'date'; sign: DateSign; at: Date }
  /** Lower-cased `text`, compared with the lower-cased subject. */
  | { kind: 'subject'; op: 'contains' | 'notContains' | 'eq' | 'ne'; text: string }
  /** Some (negate: no) participant in one of `roles` (null: any role) matches. */
  | { kind: 'participant'; roles: ParticipantRole[] | null; match: ParticipantMatch; negate: boolean }
  /** The caller's own labels with these ids (others' labels are never seen). */
  | { kind: 'labels'; ids: number[]; negate: boolean }
  /** At the provider in this folder / under this label id (mailMessages.folderIds); negated: in none of `ids`. */
  | { kind: 'folder'; id: string }
  | { kind: 'folders'; ids: string[]; negate: boolean }
  /** Lower-cased `text`, looked for in the lower-cased plain-text body. */
  | { kind: 'text'; op: 'contains' | 'notContains'; text: string }
  /** The caller's to-do is set on the mail's conversation. */
  | { kind: 'todo' }
  /** Every lower-cased word is in the subject, a participant, the snippet or the text. */
  | { kind: 'search'; words: string[] };

export const TRUE: FilterNode = { kind: 'const', value: true };
export const FALSE: FilterNode = { kind: 'const', value: false };

const isConst = (node: FilterNode, value: boolean) => node.kind === 'const' && node.value === value;

/** All of `items`: true when none, false when one is. */
export function and(items: FilterNode[]): FilterNode {
  const kept = items.filter((i) => !isConst(i, true));
  if (kept.some((i) => isConst(i, false))) return FALSE;
  if (!kept.length) return TRUE;
  return kept.length === 1 ? kept[0] : { kind: 'and', items: kept };
}

/** Any of `items`: false when none, true when one is. */
export function or(items: FilterNode[]): FilterNode {
  const kept = items.filter((i) => !isConst(i, false));
  if (kept.some((i) => isConst(i, true))) return TRUE;
  if (!kept.length) return FALSE;
  return kept.length === 1 ? kept[0] : { kind: 'or', items: kept };
}

/** "Is one of" (or none of); an empty list matches nothing, as every empty value does. */
export function list(field: ListField, values: (string | number)[], negate = false, strict = false): FilterNode {
  if (!values.length) return FALSE;
  return strict ? { kind: 'list', field, values, negate, strict } : { kind: 'list', field, values, negate };
}

export const flag = (field: FlagField, value: boolean): FilterNode => ({ kind: 'flag', field, value });
export const date = (sign: DateSign, at: Date): FilterNode => ({ kind: 'date', sign, at });
