import type { z } from 'zod';

const statusByType = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorType = keyof typeof statusByType;
/** `type:surface`, e.g. `not_found:conversation` or `bad_request:chat`. */
export type ErrorCode = `${ErrorType}:${string}`;

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

export class TandemError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Sent with the error response, e.g. a rate limit's Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'TandemError';
    this.status = statusByType[code.split(':')[0] as ErrorType] ?? 500;
  }

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export interface FieldProblem {
  /** Dotted path of the field, `(body)` for the body as a whole. */
  field: string;
  message: string;
}

/** A validation failure that lists each offending field. */
export function invalidFields(surface: string, fields: FieldProblem[]): TandemError {
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new TandemError(`bad_request:${surface}`, `Invalid request. ${summary}`, { fields });
}

/** A zod validation failure, each issue as a field. */
export function invalidInput(surface: string, error: z.ZodError): TandemError {
  return invalidFields(
    surface,
    error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    })),
  );
}

export function toErrorResponse(error: unknown, headers?: HeadersInit): Response {
  if (error instanceof TandemError) {
    const merged = new Headers(headers);
    for (const [name, value] of Object.entries(error.headers ?? {})) merged.set(name, value);
    return Response.json(error.toJSON(), { status: error.status, headers: merged });
  }
  // Internals (SQL, stack traces) are logged by the caller, never sent.
  const body: ErrorBody = {
    error: {
      code: 'internal:server',
      message: 'Something went wrong on our side. Please try again.',
    },
  };
  return Response.json(body, { status: 500, headers });
}
