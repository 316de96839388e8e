/**
 * `{{record.<field>}}` in a bulk mail's subject and body (S-BULK-3), filled per recipient from the
 * row it came from: HTML-escaped in the body, plain (one line) in the subject; a missing field
 * gives ''. `{{record.company.name}}` reads through a to-one association.
 */
import { escapeHtml } from '../../shared/html-escape';
import { BULK_VARIABLE_PATTERN } from '../../shared/bulk-api';

/** The field paths the templates use ('name', 'company.name'), each once. */
export function variablesOf(...templates: string[]): string[] {
  const paths = new Set<string>();
  for (const template of templates) {
    for (const match of template.matchAll(new RegExp(BULK_VARIABLE_PATTERN.source, 'g'))) paths.add(match[1]);
  }
  return [...paths];
}

/** The value of a path in a row as text: '' when missing, lists joined, dates as ISO. */
export function valueAt(record: Record<string, unknown> | null | undefined, path: string): string {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value == null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[key];
  }
  return asText(value);
}

function asText(value: unknown): string {
  if (value == null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}


/** The body for one recipient: each variable's value escaped, so a row cannot inject markup. */
export function fillHtml(template: string, record: Record<string, unknown> | null | undefined) {
  return template.replace(new RegExp(BULK_VARIABLE_PATTERN.source, 'g'), (_, path: string) => escapeHtml(valueAt(record, path)));
}

/** The subject for one recipient: plain text on one line (a header holds one line). */
export function fillSubject(template: string, record: Record<string, unknown> | null | undefined) {
  return template
    .replace(new RegExp(BULK_VARIABLE_PATTERN.source, 'g'), (_, path: string) => valueAt(record, path))
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

/** Only the fields the templates use are kept on a recipient row, not the whole source row. */
export function snapshotOf(row: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split('.');
    let source: unknown = row;
    let target = out;
    for (let i = 0; i < keys.length; i++) {
      source = source == null || typeof source !== 'object' ? undefined : (source as Record<string, unknown>)[keys[i]];
      if (source === undefined) break;
      if (i === keys.length - 1) target[keys[i]] = source instanceof Date ? source.toISOString() : source;
      else target = (target[keys[i]] ??= {}) as Record<string, unknown>;
    }
  }
  return out;
}
