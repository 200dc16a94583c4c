import { STATUS_CODES } from 'node:http';
import { AstroApiError } from '../errors.ts';
import { redact } from './redact.ts';
import { isRecord } from '../util/is-record.ts';

type FieldError = { field: string; code: string; message: string };

/** What an error answer said, whether or not its body was the API's JSON error shape. */
export interface ErrorAnswer {
  status: number;
  message: string;
  requestId: string | undefined;
  fieldErrors: FieldError[];
}

/** Reads an error body `{message, requestId, statusCode, fieldErrors?}`; anything else gives a short excerpt. */
export function parseErrorAnswer(status: number, bodyText: string, headerRequestId: string | undefined): ErrorAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed)) {
    const message = typeof parsed['message'] === 'string' ? parsed['message'] : '';
    const requestId = typeof parsed['requestId'] === 'string' ? parsed['requestId'] : headerRequestId;
    const fieldErrors = Array.isArray(parsed['fieldErrors'])
      ? parsed['fieldErrors'].filter(isFieldError).map((f) => ({ field: f.field, code: f.code ?? '', message: f.message }))
      : [];
    return { status, message, requestId, fieldErrors };
  }
  return { status, message: excerpt(bodyText), requestId: headerRequestId, fieldErrors: [] };
}

/**
 * Builds the one error type the client throws, e.g.
 * `Astro API POST /organizations/x/tokens/y/roles failed: 400 Bad Request: role FOO not found (request ID abc123; 1 attempt)`.
 * `path` carries no query string; the token is masked wherever it might have been echoed.
 */
export function astroApiError(opts: {
  method: string;
  path: string;
  attempts: number;
  token: string;
  answer?: ErrorAnswer;
  /** For failures without an answer: what went wrong on the wire. */
  failure?: string;
  hint?: string;
  cause?: unknown;
}): AstroApiError {
  const { method, path, attempts, answer } = opts;
  let what: string;
  if (answer !== undefined) {
    what = `${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown Status'}`;
    if (answer.message !== '') what += `: ${answer.message}`;
    for (const f of answer.fieldErrors) what += `; ${f.field}: ${f.message}`;
  } else {
    what = opts.failure ?? 'no answer';
  }
  const notes = [
    ...(answer?.requestId !== undefined ? [`request ID ${answer.requestId}`] : []),
    `${attempts} attempt${attempts === 1 ? '' : 's'}`,
  ];
  const message = redact(`Astro API ${method} ${path} failed: ${what} (${notes.join('; ')})`, opts.token);
  return new AstroApiError({
    message,
    method,
    path,
    attempts,
    ...(answer !== undefined ? { status: answer.status } : {}),
    ...(answer?.requestId !== undefined ? { requestId: answer.requestId } : {}),
    ...(answer !== undefined
      ? {
          fieldErrors: answer.fieldErrors.map((f) => ({
            field: redact(f.field, opts.token),
            code: f.code,
            message: redact(f.message, opts.token),
          })),
        }
      : {}),
    ...(opts.hint !== undefined ? { hint: opts.hint } : {}),
    ...(opts.cause !== undefined ? { cause: opts.cause } : {}),
  });
}

function excerpt(text: string): string {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (plain === '') return 'empty or unreadable response body';
  return `non-JSON response: ${plain.length > 200 ? `${plain.slice(0, 200)}…` : plain}`;
}


function isFieldError(v: unknown): v is { field: string; code?: string; message: string } {
  return isRecord(v) && typeof v['field'] === 'string' && typeof v['message'] === 'string'
    && (v['code'] === undefined || typeof v['code'] === 'string');
}
