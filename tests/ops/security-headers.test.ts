import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as saveOrigins } from '@/app/api/admin/settings/widget-origins/route';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { logoImageSource } from '@/lib/security/headers';
import { saveBranding } from '@/lib/settings/desk-setup';
import { createStaff } from '@/lib/staff/queries';
import { proxy } from '@/proxy';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let adminCookie: string;
const SHOP = 'https://shop.example.com';

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  const admin = await createStaff(app.database.db, {
    email: 'ada@example.com',
    name: 'Ada',
    role: 'admin',
    password: 'a good password',
  });
  adminCookie = `next-auth.session-token=${await encodeStaffSession(app, admin)}`;
});
afterAll(() => stop());

function through(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return proxy(new NextRequest(`http://localhost${path}`, init));
}

const frameAncestors = (csp: string | null) =>
  /frame-ancestors ([^;]+)/.exec(csp ?? '')?.[1]?.split(' ');

describe('security headers (proxy.ts)', () => {
  it('gives a page a nonce CSP that Next also receives, and the standard headers', async () => {
    const response = await through('/');
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).toContain("object-src 'none'");
    expect(frameAncestors(csp)).toEqual(["'self'"]);
    // Forwarded on the request, where Next reads the nonce for the scripts it renders.
    expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('permissions-policy')).toContain('camera=()');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const again = await through('/');
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('adds HSTS and upgrade-insecure-requests over https', async () => {
    const response = await through('/console', { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('gives API routes a policy that loads nothing, and passes a request id through', async () => {
    const response = await through('/api/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'self'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(response.headers.get('x-middleware-request-x-request-id')).toBe('abc-123');
    const forged = await through('/api/health', { headers: { 'x-request-id': 'bad\u0001id' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('widget origins: framing and CORS', () => {
  it('lets only this site frame /widget and refuses cross-origin chat calls until an origin is allowed', async () => {
    expect(
      frameAncestors((await through('/widget')).headers.get('content-security-policy')),
    ).toEqual(["'self'"]);
    const preflight = await through('/api/chat', {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stores valid origins from the admin settings and names the invalid ones', async () => {
    const put = (origins: string[], cookie = adminCookie) =>
      saveOrigins(
        new Request('http://localhost/api/admin/settings/widget-origins', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ origins }),
        }),
      );
    const bad = await put(['shop.example.com', 'https://ok.example.com/path']);
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { error: { details: { fields: { field: string }[] } } })
      .error.details.fields;
    expect(fields.map((f) => f.field)).toEqual(['origins.0', 'origins.1']);
    expect((await put([SHOP], '')).status).toBe(401);
    const saved = await put([`${SHOP}/`, 'http://localhost:8080', SHOP]);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ origins: [SHOP, 'http://localhost:8080'] });
  });

  it('lists the allowed origins in frame-ancestors on /widget only', async () => {
    expect(
      frameAncestors((await through('/widget')).headers.get('content-security-policy')),
    ).toEqual(["'self'", SHOP, 'http://localhost:8080']);
    expect(frameAncestors((await through('/')).headers.get('content-security-policy'))).toEqual([
      "'self'",
    ]);
  });

  it('answers a preflight from an allowed origin with CORS headers, and from another without', async () => {
    const allowed = await through('/api/chat', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(allowed.headers.get('vary')).toBe('Origin');

    const other = await through('/api/widget/identify', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe(
      'forbidden:origin',
    );
  });

  it('adds CORS to the actual request from an allowed origin, and none to other API routes', async () => {
    const post = await through('/api/chat/typing', { method: 'POST', headers: { origin: SHOP } });
    expect(post.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(post.headers.get('access-control-expose-headers')).toContain('x-conversation-id');
    const console = await through('/api/console/queue', { headers: { origin: SHOP } });
    expect(console.headers.get('access-control-allow-origin')).toBeNull();
    const sameSite = await through('/api/chat', {
      method: 'POST',
      headers: { origin: 'http://localhost', host: 'localhost' },
    });
    expect(sameSite.status).toBe(200);
    expect(sameSite.headers.get('access-control-allow-origin')).toBeNull();
    const script = await through('/embed.js', { headers: { origin: 'https://evil.example' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the business logo in img-src', () => {
  const imgSrc = (csp: string | null) => /img-src ([^;]+)/.exec(csp ?? '')?.[1]?.split(' ');

  it('allows an https logo from its own site on the pages that show it, and nowhere else', async () => {
    expect(logoImageSource('https://cdn.example.com/brand/logo.png?v=2')).toBe(
      'https://cdn.example.com',
    );
    expect(logoImageSource('data:image/png;base64,iVBORw0KGgo=')).toBeNull();
    expect(logoImageSource(null)).toBeNull();

    expect(imgSrc((await through('/widget')).headers.get('content-security-policy'))).toEqual([
      "'self'",
      'data:',
      'blob:',
    ]);
    await saveBranding(app.database.db, {
      logo: 'https://cdn.example.com/brand/logo.png',
      languages: ['en'],
    });
    for (const path of ['/', '/widget', '/kb', '/kb/returns']) {
      const csp = (await through(path)).headers.get('content-security-policy');
      expect(imgSrc(csp), path).toEqual(["'self'", 'data:', 'blob:', 'https://cdn.example.com']);
    }
    for (const path of ['/console', '/admin', '/admin/settings']) {
      const csp = (await through(path)).headers.get('content-security-policy');
      expect(imgSrc(csp), path).toEqual(["'self'", 'data:', 'blob:']);
    }
    // Where the admin types a logo's address, it shows before it is saved, from any https site.
    const setup = (await through('/admin/setup')).headers.get('content-security-policy');
    expect(imgSrc(setup)).toEqual(["'self'", 'data:', 'blob:', 'https:']);
    // An uploaded logo is a data: URL, which img-src allows already: no site is added.
    await saveBranding(app.database.db, {
      logo: 'data:image/png;base64,iVBORw0KGgo=',
      languages: ['en'],
    });
    expect(imgSrc((await through('/kb')).headers.get('content-security-policy'))).toEqual([
      "'self'",
      'data:',
      'blob:',
    ]);
  });
});
