import type { FieldProblem } from '@/lib/errors';

/** A refused request, with the fields the server named (a bad case, the lines of a bad file). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: FieldProblem[],
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Calls a desk-tests API and resolves to its JSON (null for 204); a refusal throws a
 * RequestError carrying the server's field problems, so a form can list each one.
 */
export async function deskTestsRequest<T>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    cache: 'no-store',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return (response.status === 204 ? null : await response.json()) as T;
  const failure = (await response.json().catch(() => null)) as {
    error?: { message?: string; details?: Record<string, unknown> };
  } | null;
  const details = failure?.error?.details ?? {};
  const fields = Array.isArray(details.fields) ? (details.fields as FieldProblem[]) : [];
  throw new RequestError(
    failure?.error?.message ?? `The request failed (${response.status}).`,
    response.status,
    fields,
    details,
  );
}
