/**
 * An error the user caused and can fix; actions answer it with its status and message. The
 * message is an English locale key; `params` fill its {{placeholders}} after translation.
 */
export class UserError extends Error {
  /** The untranslated message. */
  readonly key: string;

  constructor(
    message: string,
    readonly status = 400,
    readonly field?: string,
    readonly params?: Record<string, unknown>,
    /** Extra fields for the client (never secrets), sent next to the message. */
    readonly details?: Record<string, unknown>,
  ) {
    super(interpolate(message, params));
    this.key = message;
    this.name = 'UserError';
  }
}

/** Several field errors found at once (HTTP 400). */
export class ValidationError extends UserError {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => e.message).join('; '), 400, errors[0]?.field);
    this.name = 'ValidationError';
  }
}

export function interpolate(text: string, params?: Record<string, unknown>) {
  return params ? text.replace(/{{\s*(\w+)\s*}}/g, (_, name) => String(params[name] ?? '')) : text;
}
