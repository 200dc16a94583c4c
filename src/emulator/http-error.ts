/** An error answer of the emulated API; the server turns it into `{message, requestId, statusCode, fieldErrors?}`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly fieldErrors: FieldError[] | undefined;
  constructor(status: number, message: string, fieldErrors?: FieldError[]) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.fieldErrors = fieldErrors;
  }
}
