import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth, { type AuthOptions } from 'next-auth';

export interface AuthCall {
  request: Request;
  /** The path after /api/auth, e.g. ['callback', 'credentials']. */
  segments: string[];
  /** The form or JSON body, already read and checked by the route. */
  body: Record<string, string> | undefined;
  cookies: Record<string, string>;
}

/**
 * Runs next-auth on a request whose body the route has already read: through next-auth's
 * (req, res) entry point with a small response recorder, since its App Router entry point reads
 * the body itself (a 500 on malformed JSON) and its cookies from `next/headers`.
 */
export async function runNextAuth(call: AuthCall, options: AuthOptions): Promise<Response> {
  const url = new URL(call.request.url);
  const headers = new Headers();
  let status = 200;
  let body: string | null = null;

  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.delete(name);
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
      return res;
    },
    getHeader(name: string) {
      if (name.toLowerCase() === 'set-cookie') return headers.getSetCookie();
      return headers.get(name) ?? undefined;
    },
    json(value: unknown) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(value);
      return res;
    },
    send(value: unknown) {
      if (value === undefined || value === null) body = null;
      else if (typeof value === 'string') body = value;
      else {
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
        body = JSON.stringify(value);
      }
      return res;
    },
    end() {
      return res;
    },
  };

  const req = {
    method: call.request.method,
    headers: Object.fromEntries(call.request.headers),
    cookies: call.cookies,
    body: call.body,
    query: { ...Object.fromEntries(url.searchParams), nextauth: call.segments },
  };
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, options);
  // A 204/304 or a redirect carries no body.
  const empty = status === 204 || status === 304 || (status >= 300 && status < 400 && !body);
  return new Response(empty ? null : body, { status, headers });
}
