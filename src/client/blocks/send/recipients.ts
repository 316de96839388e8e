/**
 * The "Send email" action's recipients (S-BLOCK-6, S-BULK-2): the addresses held by a record's
 * `emailFieldNames` — fields of its collection (`email`) or of a to-one association
 * (`company.email`); one value may list several, split on comma, semicolon or newline.
 */

/** Fields offered in the action's `emailFieldNames` setting. */
export const EMAIL_FIELD_INTERFACES = ['email', 'input', 'textarea', 'phone', 'url'];
export const TO_ONE_TYPES = ['belongsTo', 'hasOne'];

export function splitAddresses(value: unknown): string[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value.flatMap(splitAddresses);
  if (typeof value !== 'string') return [];
  return value
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function valueAt(record: any, path: string): unknown {
  return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), record);
}

/** The record's addresses in field order, duplicates (ignoring case) dropped. */
export function recordAddresses(record: unknown, emailFieldNames: string[] | undefined): string[] {
  if (!record || !emailFieldNames?.length) return [];
  const seen = new Set<string>();
  const result: string[] = [];
  for (const field of emailFieldNames) {
    for (const address of splitAddresses(valueAt(record, field))) {
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(address);
    }
  }
  return result;
}

/** The associations `emailFieldNames` reach through (`company` of `company.email`), for the request's appends. */
export function associationsOf(emailFieldNames: string[] | undefined): string[] {
  return [...new Set((emailFieldNames || []).filter((f) => f.includes('.')).map((f) => f.split('.')[0]))];
}

export interface FieldLike {
  name: string;
  type?: string;
  interface?: string;
  title?: string;
  uiSchema?: { title?: string };
  targetCollection?: { getFields?(): FieldLike[] } | null;
}

export interface FieldOption {
  value: string;
  label: string;
}

const titleOf = (f: FieldLike) => f.title || f.uiSchema?.title || f.name;

/** Text/email fields of a collection and of its to-one associations, as `emailFieldNames` options. */
export function emailFieldOptions(fields: FieldLike[], translate: (text: string) => string = (s) => s): FieldOption[] {
  const options: FieldOption[] = [];
  for (const field of fields) {
    if (field.interface && EMAIL_FIELD_INTERFACES.includes(field.interface)) {
      options.push({ value: field.name, label: translate(titleOf(field)) });
    } else if (field.type && TO_ONE_TYPES.includes(field.type) && field.targetCollection?.getFields) {
      for (const sub of field.targetCollection.getFields()) {
        if (sub.interface && EMAIL_FIELD_INTERFACES.includes(sub.interface)) {
          options.push({ value: `${field.name}.${sub.name}`, label: `${translate(titleOf(field))} / ${translate(titleOf(sub))}` });
        }
      }
    }
  }
  // Email fields first: they are the likely choice.
  return options;
}

/**
 * The "Recipients" setting of a Send email action on either page kind: the email fields, and on a
 * table's top bar "All records" (S-BULK-1). `t` translates the plugin's texts, `fieldTitle` a
 * collection field's title.
 */
export function recipientsSchema(t: (text: string) => string, fields: FieldLike[], fieldTitle: (text: string) => string, withAllRecords: boolean) {
  return {
    emailFieldNames: {
      type: 'array',
      title: t('Email fields'),
      'x-decorator': 'FormItem',
      'x-component': 'Select',
      'x-component-props': { mode: 'multiple', style: { width: '100%' } },
      enum: emailFieldOptions(fields, fieldTitle),
      description: t('Fields of the record (or of a to-one association) holding the addresses; one value may list several.'),
    },
    ...(withAllRecords
      ? {
          defaultSelectAllRecords: {
            type: 'boolean',
            'x-decorator': 'FormItem',
            'x-component': 'Checkbox',
            'x-content': t('All records'),
            description: t('Selects all records in the collection as recipients by default'),
          },
        }
      : {}),
  };
}
