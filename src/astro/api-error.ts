import { STATUS_CODES } from 'node:http';
import { AstroApiError } from '../errors.ts';
import { redact } from './redact.ts';
import { isRecord } from '../util/is-record.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';
import { plural } from '../util/plural.ts';

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
    // The API may send `requestId: ""`: that is no request ID, not an empty one.
    const requestId = typeof parsed['requestId'] === 'string' && parsed['requestId'] !== '' ? parsed['requestId'] : headerRequestId || undefined;
    const fieldErrors = Array.isArray(parsed['fieldErrors'])
      ? parsed['fieldErrors'].filter(isFieldError).map((f) => ({ field: f.field, code: f.code ?? '', message: f.message }))
      : [];
    return { status, message, requestId, fieldErrors };
  }
  return { status, message: excerpt(bodyText), requestId: headerRequestId || undefined, fieldErrors: [] };
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
  /** The request ID of a 2xx answer that could not be used. */
  requestId?: string;
  cause?: unknown;
}): AstroApiError {
  const { method, path, attempts, answer } = opts;
  let what: string;
  if (answer !== undefined) {
    what = `${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown Status'}`;
    // The server's words are quoted escaped: a message cannot start a line of its own or recolour ours.
    if (answer.message !== '') what += `: ${sanitizeTerminal(answer.message)}`;
    for (const f of answer.fieldErrors) what += `; ${sanitizeTerminal(f.field)}: ${sanitizeTerminal(f.message)}`;
  } else {
    what = opts.failure ?? 'no answer';
  }
  const requestId = answer?.requestId ?? opts.requestId;
  const notes = [
    ...(requestId !== undefined ? [`request ID ${sanitizeTerminal(requestId)}`] : []),
    plural(attempts, 'attempt'),
  ];
  const message = redact(`Astro API ${method} ${path} failed: ${what} (${notes.join('; ')})`, opts.token);
  return new AstroApiError({
    message,
    method,
    path,
    attempts,
    ...(answer !== undefined ? { status: answer.status } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
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
