import { z } from 'zod';
import { ACCOUNT_DEACTIVATED } from '@/lib/auth/options';
import { parseCookieHeader } from '@/lib/auth/staff-session';
import { invalidFields, invalidInput, TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import { refuseUnsafeText } from '@/lib/text/unsafe-text';

/** A sign-in form is an email, a password and a few tokens: far below this. */
export const AUTH_BODY_BYTES = 16 * 1024;

const formFields = z.record(z.string(), z.string({ error: 'must be a string' }));

/**
 * The body of a POST to next-auth, read once here: a form (what next-auth's client sends) or a
 * JSON object of strings. Too large → 413, another media type → 415, malformed JSON or a field
 * that is not a string (or holds U+0000 or half a character) → 400 naming it.
 */
export async function readAuthBody(request: Request): Promise<Record<string, string>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (Number(request.headers.get('content-length') ?? 0) > AUTH_BODY_BYTES) throw tooLarge();
  const raw = await request.text();
  if (Buffer.byteLength(raw) > AUTH_BODY_BYTES) throw tooLarge();

  let fields: unknown;
  if (type === 'application/x-www-form-urlencoded') {
    fields = Object.fromEntries(new URLSearchParams(raw));
  } else if (type === 'application/json') {
    try {
      fields = JSON.parse(raw);
    } catch {
      throw new TandemError('bad_request:auth', 'The request body is not valid JSON.');
    }
  } else if (type === '' && raw === '') {
    fields = {};
  } else {
    throw new TandemError(
      'unsupported_media_type:auth',
      'Send the form as application/x-www-form-urlencoded or application/json.',
    );
  }
  refuseUnsafeText(fields, 'auth');
  const parsed = formFields.safeParse(fields);
  if (!parsed.success) throw invalidInput('auth', parsed.error);
  return parsed.data;
}

/**
 * The request's cookies for next-auth, less a callback-URL cookie that is no URL: next-auth
 * takes that for a configuration error and answers every request with a 500.
 */
export function cookiesForNextAuth(request: Request): Record<string, string> {
  const cookies = Object.fromEntries(parseCookieHeader(request.headers.get('cookie')));
  for (const name of Object.keys(cookies)) {
    if (name.endsWith('next-auth.callback-url') && !isHttpUrl(cookies[name]!)) delete cookies[name];
  }
  return cookies;
}

/** A `?callbackUrl=` that is no URL is the caller's mistake (next-auth would answer 500). */
export function checkCallbackParam(request: Request): void {
  const callbackUrl = new URL(request.url).searchParams.get('callbackUrl');
  if (callbackUrl !== null && !isHttpUrl(callbackUrl)) {
    throw invalidFields('auth', [
      { field: 'callbackUrl', message: 'must be a path on this site (/console) or an http(s) URL' },
    ]);
  }
}

/** As next-auth checks a callback URL: a path, or an absolute http(s) URL. */
function isHttpUrl(value: string): boolean {
  try {
    const base = value.startsWith('/') ? 'http://localhost' : undefined;
    return /^https?:$/.test(new URL(value, base).protocol);
  } catch {
    return false;
  }
}

/**
 * next-auth's refusals as Tandem errors: a 4xx (or a redirect that means "refused") becomes
 * JSON `{ error: { code, message } }`, keeping next-auth's own `url` beside it for its client.
 * Successes and plain redirects pass unchanged.
 */
export async function describeAuthFailure(response: Response): Promise<Response> {
  const json = response.headers.get('content-type')?.includes('application/json')
    ? ((await response
        .clone()
        .json()
        .catch(() => null)) as { url?: unknown } | null)
    : null;
  const url = typeof json?.url === 'string' ? json.url : undefined;
  const target = parseTarget(url ?? response.headers.get('location'));
  const csrfRefused = target?.searchParams.get('csrf') === 'true';
  if (response.status < 400 && !csrfRefused) return response;

  const error = authError(response, target?.searchParams.get('error') ?? null, csrfRefused);
  const headers = new Headers(response.headers);
  headers.delete('location');
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ ...(url ? { url } : {}), ...error.toJSON() }), {
    status: error.status,
    headers,
  });
}

/** Where next-auth's own /api/auth/error would send a browser: the sign-in page, which explains. */
export function errorPageRedirect(request: Request, segments: string[]): Response {
  const name = new URL(request.url).searchParams.get('error') ?? segments[1] ?? 'Default';
  const known = /^[A-Za-z]{1,64}$/.test(name) ? name : 'Default';
  return new Response(null, { status: 302, headers: { location: `/sign-in?error=${known}` } });
}

function authError(response: Response, reason: string | null, csrfRefused: boolean) {
  if (csrfRefused) {
    return new TandemError(
      'forbidden:auth',
      'The sign-in form has expired or came from another page (missing or wrong csrfToken). Reload the page and try again.',
    );
  }
  if (reason === ACCOUNT_DEACTIVATED) {
    return new TandemError(
      'unauthorized:sign_in',
      'This account has been deactivated. Ask an admin to reactivate it.',
    );
  }
  if (reason === 'CredentialsSignin' || response.status === 401 || response.status === 403) {
    return new TandemError(
      'unauthorized:sign_in',
      'That email and password do not match an agent or admin account.',
    );
  }
  if (response.status >= 500) {
    log.error({ status: response.status, reason }, 'next-auth failed');
    return new TandemError('internal:auth', 'Something went wrong on our side. Please try again.');
  }
  return new TandemError('bad_request:auth', 'Sign-in cannot handle this request.');
}

function tooLarge() {
  return new TandemError(
    'payload_too_large:auth',
    `The request body is larger than ${AUTH_BODY_BYTES / 1024} KB.`,
  );
}

function parseTarget(value: string | null | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value, 'http://localhost');
  } catch {
    return undefined;
  }
}
