import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as exportConversations } from '@/app/api/admin/export/conversations/route';
import { GET as exportMetrics } from '@/app/api/admin/export/metrics/route';
import type { AppContext } from '@/lib/context';
import { seedKnownWeek } from '../analytics/known-week';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let adminCookie: string;
let agentCookie: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  await seedKnownWeek(app);
  adminCookie = (await signedInStaff(app, 'admin', 'Ex')).cookie;
  agentCookie = (await signedInStaff(app, 'agent', 'Ag')).cookie;
});
afterAll(() => stop());

const get = (path: string, cookie?: string) =>
  new Request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });
const none = { params: Promise.resolve({}) };

describe('CSV exports', () => {
  it('exports the conversations started in the range, one row each', async () => {
    const response = await exportConversations(
      get('/x?from=2026-11-01&to=2026-11-07', adminCookie),
      none,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(
      rows
        .map((r) => r.escalation_reason)
        .filter(Boolean)
        .sort(),
    ).toEqual(['customer_request', 'high_frustration', 'low_confidence']);
    const dana = rows.find((r) => r.agent === 'Dana')!;
    expect(dana).toMatchObject({
      csat: '5',
      resolved_by: 'human',
      first_agent_reply_seconds: '120',
    });
  });

  it('exports every dashboard figure for the range', async () => {
    const response = await exportMetrics(
      get('/x?from=2026-11-01&to=2026-11-07', adminCookie),
      none,
    );
    const rows = parse(await response.text()) as string[][];
    expect(rows[0]).toEqual(['section', 'key', 'value']);
    expect(rows).toContainEqual(['totals', 'conversations', '6']);
    expect(rows).toContainEqual(['escalation_reasons', 'low_confidence', '1']);
    expect(rows).toContainEqual(['first_response_human', 'median_seconds', '210']);
    expect(rows).toContainEqual(['agent:Sam', 'median_handle_seconds', '1200']);
  });

  it('is for admins only, and refuses a bad range clearly', async () => {
    expect((await exportConversations(get('/x', agentCookie), none)).status).toBe(403);
    expect((await exportMetrics(get('/x'), none)).status).toBe(401);
    const bad = await exportMetrics(get('/x?days=11', adminCookie), none);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'bad_request:range' });
  });
});
