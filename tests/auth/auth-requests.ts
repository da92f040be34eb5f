import { GET as authGet, POST as authPost } from '@/app/api/auth/[...nextauth]/route';

/** Test helpers that drive next-auth through Tandem's auth route, as the sign-in page does. */

const context = (path: string) => ({
  params: Promise.resolve({
    nextauth: new URL(path, 'http://localhost').pathname.split('/').slice(3),
  }),
});

/** The cookies a response sets, as a Cookie header would send them back. */
export function cookiesSetBy(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

export function authRequest(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const request = new Request(`http://localhost${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
  });
  return (request.method === 'POST' ? authPost : authGet)(request, context(path));
}

/** A fresh CSRF token and the cookie that goes with it. */
export async function csrfToken(): Promise<{ token: string; cookie: string }> {
  const response = await authRequest('/api/auth/csrf');
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return { token, cookie: cookiesSetBy(response) };
}

/** Posts the sign-in form; `address` is the client's address as Tandem's server records it. */
export async function postSignIn(
  email: string,
  password: string,
  { address = '198.51.100.7' }: { address?: string } = {},
): Promise<Response> {
  const csrf = await csrfToken();
  return authRequest('/api/auth/callback/credentials', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: csrf.cookie,
      'x-tandem-peer-address': address,
    },
    body: new URLSearchParams({
      email,
      password,
      csrfToken: csrf.token,
      callbackUrl: '/console',
      json: 'true',
    }).toString(),
  });
}

/** Signs in and returns the session cookie (`next-auth.session-token=…`). */
export async function signIn(email: string, password: string, address?: string): Promise<string> {
  const response = await postSignIn(email, password, { address });
  if (response.status !== 200) {
    throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  }
  const session = cookiesSetBy(response)
    .split('; ')
    .find((cookie) => cookie.startsWith('next-auth.session-token='));
  if (!session) throw new Error('sign-in set no session cookie');
  return session;
}

/** Signs out the session, as the console's "Sign out" button does. */
export async function signOut(sessionCookie: string): Promise<Response> {
  const csrf = await csrfToken();
  return authRequest('/api/auth/signout', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `${csrf.cookie}; ${sessionCookie}`,
    },
    body: new URLSearchParams({
      csrfToken: csrf.token,
      callbackUrl: '/sign-in',
      json: 'true',
    }).toString(),
  });
}
