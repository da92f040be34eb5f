import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, PUT } from '@/app/api/admin/glossary/route';
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

const none = { params: Promise.resolve({}) };
const put = (cookie: string, text: string) =>
  PUT(
    new Request('http://localhost/x', {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    }),
    none,
  );

describe('/api/admin/glossary', () => {
  it('shows the shipped glossary, saves an edited one, and names a bad line', async () => {
    const shipped = await (
      await GET(new Request('http://localhost/x', { headers: { cookie: admin } }), none)
    ).json();
    expect(shipped.entries).toBeGreaterThan(40);
    expect(shipped.text).toContain('退款 = refund');
    const saved = await (await put(admin, '退款 = refund\n# note\n礼品卡 = gift card')).json();
    expect(saved).toEqual({ entries: 2, text: '退款 = refund\n礼品卡 = gift card' });
    const bad = await put(admin, '退款 = refund\n礼品卡 gift card');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({
      code: 'bad_request:glossary',
      message: 'Line 2: write it as "中文 = english".',
    });
  });

  it('is for admins only', async () => {
    expect((await put(agent, '退款 = refund')).status).toBe(403);
    expect((await GET(new Request('http://localhost/x'), none)).status).toBe(401);
  });
});
