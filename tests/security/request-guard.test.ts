import { describe, expect, it } from 'vitest';
import { isTrustedOrigin, refuseForeignOrigin, requireMediaType } from '@/app/api/request-guard';
import { TandemError } from '@/lib/errors';

const DESK = 'http://desk.example:3000';
const SHOP = 'https://shop.example';

function post(headers: Record<string, string>, url = `${DESK}/api/console/x`) {
  return new Request(url, { method: 'POST', headers: { host: 'desk.example:3000', ...headers } });
}

function refusal(run: () => unknown): TandemError | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof TandemError) return error;
    throw error;
  }
}

describe('where a cookie-authenticated write may come from', () => {
  it('lets the desk’s own pages through (Sec-Fetch-Site: same-origin, or its own Origin)', () => {
    expect(isTrustedOrigin(post({ 'sec-fetch-site': 'same-origin', origin: DESK }))).toBe(true);
    expect(isTrustedOrigin(post({ origin: DESK }))).toBe(true);
    // Behind a proxy, the host the browser addressed.
    expect(
      isTrustedOrigin(
        post({ origin: 'https://support.example', 'x-forwarded-host': 'support.example' }),
      ),
    ).toBe(true);
  });

  it('refuses another port or a sibling subdomain of the same site (same-site is not enough)', () => {
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'same-site', origin: 'http://desk.example:4000' },
      { origin: 'http://desk.example:4000' },
      { 'sec-fetch-site': 'same-site', origin: 'http://evil.desk.example:3000' },
      { origin: 'http://evil.desk.example:3000' },
    ]) {
      expect(isTrustedOrigin(post(headers))).toBe(false);
      const error = refusal(() => refuseForeignOrigin(post(headers)));
      expect(error?.code).toBe('forbidden:origin');
      expect(error?.status).toBe(403);
      expect(error?.message).toContain('not from this desk');
    }
  });

  it('refuses another site, a null origin and a user-typed navigation', () => {
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'cross-site', origin: SHOP },
      { origin: SHOP },
      { origin: 'null' },
      { 'sec-fetch-site': 'none' },
    ]) {
      expect(isTrustedOrigin(post(headers))).toBe(false);
    }
  });

  it('lets an allowed widget origin through on widget routes only', () => {
    const fromShop = post({ 'sec-fetch-site': 'cross-site', origin: SHOP });
    expect(isTrustedOrigin(fromShop, { widgetOrigins: [SHOP] })).toBe(true);
    expect(isTrustedOrigin(post({ origin: SHOP }), { widgetOrigins: [SHOP] })).toBe(true);
    // Staff routes pass no widget origins: the same request is refused there.
    expect(isTrustedOrigin(fromShop)).toBe(false);
    expect(isTrustedOrigin(fromShop, { widgetOrigins: ['https://other.example'] })).toBe(false);
    const error = refusal(() =>
      refuseForeignOrigin(fromShop, { widgetOrigins: ['https://other.example'], widget: true }),
    );
    expect(error?.code).toBe('forbidden:origin');
    expect(error?.message).toContain('Allowed widget origins');
  });

  it('lets a client with neither header through: it is not a browser carrying a victim’s cookies', () => {
    expect(isTrustedOrigin(post({}))).toBe(true);
    expect(refusal(() => refuseForeignOrigin(post({})))).toBeNull();
  });

  it('does not check reads (GET, HEAD, OPTIONS)', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const read = new Request(`${DESK}/api/console/queue`, {
        method,
        headers: { 'sec-fetch-site': 'cross-site', origin: SHOP },
      });
      expect(refusal(() => refuseForeignOrigin(read))).toBeNull();
    }
  });
});

describe('what a cookie-authenticated write may carry', () => {
  const withBody = (type: string | null, body: string) =>
    new Request(`${DESK}/api/console/x`, {
      method: 'POST',
      headers: type ? { 'content-type': type } : {},
      body,
    });

  it('takes JSON (with or without a charset)', () => {
    expect(
      requireMediaType(withBody('application/json', '{}'), { accepts: 'json', surface: 'x' }),
    ).toBe('json');
    expect(
      requireMediaType(withBody('Application/JSON; charset=utf-8', '{}'), {
        accepts: 'json',
        surface: 'x',
      }),
    ).toBe('json');
  });

  it('refuses text/plain and form-encoded bodies with 415, whatever they contain', () => {
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const error = refusal(() =>
        requireMediaType(withBody(type, '{"role":"admin"}'), { accepts: 'json', surface: 'user' }),
      );
      expect(error?.code).toBe('unsupported_media_type:user');
      expect(error?.status).toBe(415);
      expect(error?.message).toContain('application/json');
    }
  });

  it('takes multipart only on routes that take files', () => {
    const upload = withBody('multipart/form-data; boundary=x', '--x--');
    expect(requireMediaType(upload, { accepts: 'multipart', surface: 'kb' })).toBe('multipart');
    expect(refusal(() => requireMediaType(upload, { accepts: 'none', surface: 'kb' }))?.code).toBe(
      'unsupported_media_type:kb',
    );
  });

  it('takes no Content-Type only without a declared body (the caller reads it to be sure)', () => {
    const empty = new Request(`${DESK}/api/console/x`, { method: 'POST' });
    expect(requireMediaType(empty, { accepts: 'none', surface: 'x' })).toBe('none');
    const declared = new Request(`${DESK}/api/console/x`, {
      method: 'POST',
      headers: { 'content-length': '16' },
    });
    expect(refusal(() => requireMediaType(declared, { accepts: 'none', surface: 'x' }))?.code).toBe(
      'unsupported_media_type:x',
    );
  });
});
