/** An error the user caused and can fix; actions answer it with its status and message. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly field?: string,
  ) {
    super(message);
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
