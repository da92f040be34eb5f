import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '@/lib/context';
import { startServedTestApp } from '../harness/app';
import { authRequest, csrfToken, postSignIn } from './auth-requests';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop());

/** The response is a Tandem JSON error with this status and code, and carries a request id. */
async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('x-request-id')).toBeTruthy();
  const { error } = await response.json();
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  return error as { code: string; message: string; details?: { fields: { field: string }[] } };
}

const credentials = (body: string, contentType: string, cookie?: string) =>
  authRequest('/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) },
    body,
  });

describe('the auth route answers bad input with JSON errors, never a 500', () => {
  it('refuses malformed JSON on the credentials callback with 400', async () => {
    const error = await expectJsonError(
      await credentials('{bad', 'application/json'),
      400,
      'bad_request:auth',
    );
    expect(error.message).toBe('The request body is not valid JSON.');
  });

  it('refuses JSON that is not an object of strings, naming the field', async () => {
    await expectJsonError(await credentials('[1,2]', 'application/json'), 400, 'bad_request:auth');
    await expectJsonError(await credentials('null', 'application/json'), 400, 'bad_request:auth');
    const error = await expectJsonError(
      await credentials(
        JSON.stringify({ email: 'a@example.com', password: 5 }),
        'application/json',
      ),
      400,
      'bad_request:auth',
    );
    expect(error.details?.fields.map((f) => f.field)).toEqual(['password']);
  });

  it('refuses NUL and half characters in a field, naming it', async () => {
    const form = await expectJsonError(
      await credentials(
        'email=a%00b%40example.com&password=x',
        'application/x-www-form-urlencoded',
      ),
      400,
      'bad_request:auth',
    );
    expect(form.details?.fields.map((f) => f.field)).toEqual(['email']);
    const json = await expectJsonError(
      await credentials('{"email":"a@example.com","password":"\\ud800"}', 'application/json'),
      400,
      'bad_request:auth',
    );
    expect(json.details?.fields.map((f) => f.field)).toEqual(['password']);
  });

  it('refuses other media types (415) and oversized bodies (413)', async () => {
    await expectJsonError(
      await credentials('email=a&password=b', 'text/plain'),
      415,
      'unsupported_media_type:auth',
    );
    await expectJsonError(
      await credentials(`email=${'a'.repeat(20_000)}`, 'application/x-www-form-urlencoded'),
      413,
      'payload_too_large:auth',
    );
  });

  it('answers JSON with a working CSRF token and a JSON body, as a form would', async () => {
    const csrf = await csrfToken();
    const response = await credentials(
      JSON.stringify({
        email: 'nobody@example.com',
        password: 'x',
        csrfToken: csrf.token,
        json: 'true',
      }),
      'application/json',
      csrf.cookie,
    );
    const error = await expectJsonError(response, 401, 'unauthorized:sign_in');
    expect(error.message).toBe('That email and password do not match an agent or admin account.');
  });

  it('refuses a sign-in without its CSRF token with 403', async () => {
    await expectJsonError(
      await credentials(
        'email=a%40example.com&password=b&json=true',
        'application/x-www-form-urlencoded',
      ),
      403,
      'forbidden:auth',
    );
  });

  it('answers unknown endpoints and providers with 404 JSON, and a wrong method with 405', async () => {
    await expectJsonError(await authRequest('/api/auth/nope'), 404, 'not_found:auth');
    const wrongMethod = await authRequest('/api/auth/callback/credentials');
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    await expectJsonError(wrongMethod, 405, 'method_not_allowed:auth');
    await expectJsonError(await authRequest('/api/auth/csrf/more/segments'), 404, 'not_found:auth');
    await expectJsonError(
      await authRequest('/api/auth/callback/github', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      }),
      404,
      'not_found:auth',
    );
    await expectJsonError(
      await authRequest('/api/auth/_log', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'level=constructor&code=x',
      }),
      404,
      'not_found:auth',
    );
  });

  it('keeps crafted callback URLs on this site instead of failing', async () => {
    const { createStaff } = await import('@/lib/staff/queries');
    await createStaff(app.database.db, {
      email: 'callback@example.com',
      name: 'Cal',
      role: 'agent',
      password: 'a good password',
    });
    for (const callbackUrl of [
      'not a url',
      '/\r\nSet-Cookie: x=y',
      '/café',
      'https://evil.example/',
      '//evil.example',
    ]) {
      const csrf = await csrfToken();
      const response = await credentials(
        new URLSearchParams({
          email: 'callback@example.com',
          password: 'a good password',
          csrfToken: csrf.token,
          callbackUrl,
          json: 'true',
        }).toString(),
        'application/x-www-form-urlencoded',
        csrf.cookie,
      );
      expect(response.status).toBe(200);
      const { url } = await response.json();
      expect(new URL(url).host).toBe('localhost:3000');
    }
    const badCookie = await authRequest('/api/auth/signin', {
      headers: { cookie: 'next-auth.callback-url=%E0%A4%A; next-auth.session-token=%zz' },
    });
    expect(badCookie.status).toBe(302);
    expect(badCookie.headers.get('location')).toBe(
      '/sign-in?callbackUrl=http%3A%2F%2Flocalhost%3A3000',
    );
    const badParam = await expectJsonError(
      await authRequest('/api/auth/signin?callbackUrl=not%20a%20url'),
      400,
      'bad_request:auth',
    );
    expect(badParam.details?.fields.map((f) => f.field)).toEqual(['callbackUrl']);
  });

  it('sends next-auth error pages to the sign-in page with a known error name only', async () => {
    const plain = await authRequest('/api/auth/error?error=CredentialsSignin');
    expect(plain.status).toBe(302);
    expect(plain.headers.get('location')).toBe('/sign-in?error=CredentialsSignin');
    const crafted = await authRequest('/api/auth/error?error=%0d%0aSet-Cookie:%20x');
    expect(crafted.headers.get('location')).toBe('/sign-in?error=Default');
  });

  it('still serves what the sign-in page and the console use', async () => {
    const providers = await authRequest('/api/auth/providers');
    expect(providers.status).toBe(200);
    expect(await providers.json()).toHaveProperty('credentials');
    expect((await csrfToken()).token).toMatch(/^[0-9a-f]{64}$/);
    const session = await authRequest('/api/auth/session');
    expect(await session.json()).toEqual({});
    // A form post without the JSON flag (no script) is redirected, as next-auth does.
    const csrf = await csrfToken();
    const noScript = await credentials(
      new URLSearchParams({
        email: 'x@example.com',
        password: 'y',
        csrfToken: csrf.token,
      }).toString(),
      'application/x-www-form-urlencoded',
      csrf.cookie,
    );
    expect(noScript.status).toBe(302);
    expect(noScript.headers.get('location')).toContain('/api/auth/error?error=CredentialsSignin');
    expect((await postSignIn('x@example.com', 'y')).status).toBe(401);
  });
});
