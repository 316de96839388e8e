/** The Email send block's default values (both page kinds): To, Cc, Bcc as address text, Subject, Content. */
export const EMAIL_SEND_FIELDS = ['to', 'cc', 'bcc', 'subject', 'content'] as const;
export type EmailSendDefaults = Partial<Record<(typeof EMAIL_SEND_FIELDS)[number], unknown>>;

/** A default as the block keeps it (text with its variables resolved, or a list) as addresses. */
export function addressList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;\n]/) : [];
  return items.map((s) => String(s ?? '').trim()).filter(Boolean);
}

/** The block's defaults (variables already resolved) as the editor opens with them. */
export function composeDefaults(values: EmailSendDefaults) {
  const text = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
  return {
    to: addressList(values.to),
    cc: addressList(values.cc),
    bcc: addressList(values.bcc),
    subject: text(values.subject),
    body: text(values.content),
  };
}
