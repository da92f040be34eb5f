import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedTestApp } from '../harness/app';
import { authRequest, csrfToken } from './auth-requests';

let stop: () => Promise<void>;
beforeAll(async () => {
  ({ stop } = await startServedTestApp({ TANDEM_SIGNIN_FAILURES_PER_ADDRESS: '100000' }));
});
afterAll(() => stop());

const segment = fc.oneof(
  fc.constantFrom('callback', 'signin', 'signout', 'session', 'csrf', 'providers', 'error', '_log'),
  fc.constantFrom('credentials', 'github', '%00', '%E0%A4%A', '..', ''),
  fc.string({ maxLength: 12 }),
);
const text = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(fc.emailAddress(), fc.constantFrom('/console', 'true', 'a good password')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      '%E0%A4%A',
      '/\r\n',
      'javascript:x',
      '//x',
      'not a url',
    ),
  },
);
const field = fc.constantFrom('email', 'password', 'csrfToken', 'callbackUrl', 'json', 'redirect');
const body = fc.oneof(
  fc.dictionary(field, text).map((fields) => ({
    type: 'application/x-www-form-urlencoded',
    raw: new URLSearchParams(fields).toString(),
  })),
  fc
    .dictionary(field, fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text)))
    .map((fields) => ({
      type: 'application/json',
      raw: JSON.stringify(fields),
    })),
  fc.string({ maxLength: 60 }).map((raw) => ({ type: 'application/json', raw })),
  fc.record({
    type: fc.constantFrom('text/plain', 'multipart/form-data', ''),
    raw: fc.string({ maxLength: 30 }),
  }),
);
const cookie = fc.constantFrom(
  '',
  'next-auth.callback-url=%E0%A4%A',
  'next-auth.callback-url=javascript%3Aalert(1)',
  'next-auth.session-token=garbage',
  'next-auth.csrf-token=%zz',
  'next-auth.csrf-token=a%7Cb',
);

const ENDPOINTS = [
  ['callback', 'credentials'],
  ['signin', 'credentials'],
  ['signin'],
  ['signout'],
  ['session'],
  ['csrf'],
  ['providers'],
  ['error'],
];

/** The body with the valid CSRF token added, where it is a form or a JSON object. */
function withToken(payload: { type: string; raw: string }, token: string | undefined): string {
  if (!token) return payload.raw;
  if (payload.type === 'application/x-www-form-urlencoded') {
    return `${payload.raw}&csrfToken=${token}`;
  }
  try {
    const json = JSON.parse(payload.raw);
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      return JSON.stringify({ ...json, csrfToken: token });
    }
  } catch {}
  return payload.raw;
}

describe('fuzzing the auth route', () => {
  it('answers every generated request below 500, and every error as JSON with a code', async () => {
    const csrf = await csrfToken();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...ENDPOINTS) },
          { weight: 1, arbitrary: fc.array(segment, { minLength: 0, maxLength: 3 }) },
        ),
        fc.constantFrom('GET', 'POST'),
        body,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant({}) },
          {
            weight: 1,
            arbitrary: fc.dictionary(fc.constantFrom('callbackUrl', 'error', 'csrf'), text),
          },
        ),
        cookie,
        fc.boolean(),
        async (segments, method, payload, query, extraCookie, withCsrf) => {
          const search = new URLSearchParams(query).toString();
          const path = `/api/auth/${segments.map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
          const cookies = [extraCookie, withCsrf ? csrf.cookie : ''].filter(Boolean).join('; ');
          const response = await authRequest(path, {
            method,
            headers: {
              ...(method === 'POST' && payload.type ? { 'content-type': payload.type } : {}),
              ...(cookies ? { cookie: cookies } : {}),
            },
            body:
              method === 'POST' ? withToken(payload, withCsrf ? csrf.token : undefined) : undefined,
          });
          expect(response.status, `${method} ${path}`).toBeLessThan(500);
          if (response.status >= 400) {
            const json = await response.json();
            expect(json.error.code, `${method} ${path}`).toMatch(/^[a-z_]+:[a-z_]+$/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
