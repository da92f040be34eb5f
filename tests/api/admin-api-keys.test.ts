import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as rotate } from '@/app/api/admin/api-keys/[id]/rotate/route';
import { DELETE as revoke } from '@/app/api/admin/api-keys/[id]/route';
import { POST as create, GET as list } from '@/app/api/admin/api-keys/route';
import { authenticateApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let admin: string;
let agent: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  admin = (await signedInStaff(app, 'admin', 'Ada')).cookie;
  agent = (await signedInStaff(app, 'agent', 'Dana')).cookie;
});
afterAll(() => stop());

const req = (method: string, cookie?: string, body?: unknown) =>
  new Request('http://localhost/x', {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
const params = (id?: string) => ({
  params: Promise.resolve(id ? { id } : {}) as Promise<{ id: string }>,
});

describe('API keys in /admin', () => {
  it('creates a key shown once, lists it without its secret, rotates and revokes it', async () => {
    const created = await create(
      req('POST', admin, { name: 'CRM', scopes: ['read', 'write'], rateLimitPerMinute: 30 }),
      params(),
    );
    expect(created.status).toBe(201);
    const { key, apiKey } = await created.json();
    expect(key).toMatch(/^tdm_[a-z0-9]{10}_[\w-]{43}$/);
    expect(apiKey).not.toHaveProperty('secretHash');
    expect((await authenticateApiKey(app.database.db, `Bearer ${key}`)).scopes).toEqual([
      'read',
      'write',
    ]);

    const listed = await (await list(req('GET', admin), params())).json();
    expect(JSON.stringify(listed)).not.toContain(key.split('_')[2]);
    expect(listed.apiKeys[0]).toMatchObject({
      name: 'CRM',
      rateLimitPerMinute: 30,
      prefix: key.slice(0, 14),
    });

    const { key: rotated } = await (await rotate(req('POST', admin), params(apiKey.id))).json();
    await expect(authenticateApiKey(app.database.db, `Bearer ${key}`)).rejects.toThrow('not valid');
    await authenticateApiKey(app.database.db, `Bearer ${rotated}`);
    expect((await revoke(req('DELETE', admin), params(apiKey.id))).status).toBe(204);
    await expect(authenticateApiKey(app.database.db, `Bearer ${rotated}`)).rejects.toThrow(
      'not valid',
    );
    expect((await revoke(req('DELETE', admin), params(apiKey.id))).status).toBe(404);
  });

  it('is for admins only, and names the bad fields', async () => {
    expect((await list(req('GET', agent), params())).status).toBe(403);
    expect(
      (await create(req('POST', undefined, { name: 'x', scopes: ['read'] }), params())).status,
    ).toBe(401);
    const bad = await create(req('POST', admin, { name: '', scopes: ['everything'] }), params());
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'name',
      'scopes.0',
    ]);
  });
});
