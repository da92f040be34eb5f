import { sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as chat } from '@/app/api/chat/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { createStaff } from '@/lib/staff/queries';
import { startServedTestApp } from '../harness/app';

const TOKEN = 'metrics-token-for-tests-0123456789';
let app: AppContext;
let stop: () => Promise<void>;
let adminCookie: string;
let agentCookie: string;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp({ TANDEM_METRICS_TOKEN: TOKEN }));
  const make = async (name: string, role: 'agent' | 'admin') =>
    `next-auth.session-token=${await encodeStaffSession(
      app,
      await createStaff(app.database.db, {
        email: `${name}@example.com`,
        name,
        role,
        password: 'a good password',
      }),
    )}`;
  adminCookie = await make('ada', 'admin');
  agentCookie = await make('dana', 'agent');
});
afterAll(() => stop());

function scrape(headers: Record<string, string> = {}) {
  return metricsRoute(new Request('http://localhost/api/metrics', { headers }));
}

async function metricsText(): Promise<string> {
  const response = await scrape({ authorization: `Bearer ${TOKEN}` });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series, 0 when absent. Labels are matched as written in the exposition. */
function seriesValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function say(text: string, headers: Record<string, string> = {}) {
  const response = await chat(
    new NextRequest('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
      }),
    }),
  );
  await response.text();
  return response;
}

describe('GET /api/metrics', () => {
  it('refuses callers without the token or an admin session', async () => {
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized:metrics',
    );
    expect((await scrape({ authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    expect((await scrape({ cookie: agentCookie })).status).toBe(403);
  });

  it('serves Prometheus text to the token and to an admin', async () => {
    const byToken = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toContain('text/plain');
    expect(await byToken.text()).toContain('# TYPE tandem_http_requests_total counter');
    const byAdmin = await scrape({ cookie: adminCookie });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts and times a chat request by route and status, with its pipeline stages and category', async () => {
    const response = await say('How do I reset my password?', { 'x-request-id': 'req-chat-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-chat-1');
    const text = await metricsText();
    const labels = 'route="/api/chat",method="POST",status="200"';
    expect(seriesValue(text, `tandem_http_requests_total{${labels}}`)).toBe(1);
    expect(seriesValue(text, `tandem_http_request_duration_seconds_count{${labels}}`)).toBe(1);
    expect(text).toContain(`tandem_http_request_duration_seconds_bucket{le="+Inf",${labels}} 1`);
    for (const stage of ['classify', 'retrieve', 'respond']) {
      expect(
        seriesValue(text, `tandem_pipeline_stage_duration_seconds_count{stage="${stage}"}`),
      ).toBeGreaterThanOrEqual(1);
    }
    expect(seriesValue(text, 'tandem_customer_messages_total{category="account"}')).toBe(1);
  });

  it('labels routes by template, not by id', async () => {
    await scrape({ cookie: adminCookie });
    const { GET: attachment } = await import('@/app/api/chat/attachments/[id]/route');
    const id = crypto.randomUUID();
    const response = await attachment(
      new NextRequest(`http://localhost/api/chat/attachments/${id}`),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(401);
    const text = await metricsText();
    expect(
      seriesValue(
        text,
        'tandem_http_requests_total{route="/api/chat/attachments/[id]",method="GET",status="401"}',
      ),
    ).toBe(1);
    expect(text).not.toContain(id);
  });

  it('counts escalations by reason', async () => {
    const series = 'tandem_escalations_total{reason="customer_request"}';
    const before = seriesValue(await metricsText(), series);
    await say('I want to talk to a real person please');
    expect(seriesValue(await metricsText(), series)).toBe(before + 1);
  });

  it('reports the job queue by status once a jobs table exists', async () => {
    const { db } = app.database;
    const [exists] = (
      (await db.execute(sql`select to_regclass('jobs') is not null as present`)) as unknown as {
        rows: { present: boolean }[];
      }
    ).rows;
    if (!exists?.present) {
      expect(await metricsText()).not.toMatch(/^tandem_jobs\{/m);
      await db.execute(sql`create table jobs (id serial primary key, status text not null)`);
      await db.execute(sql`insert into jobs (status) values ('queued'), ('queued'), ('failed')`);
      const text = await metricsText();
      expect(seriesValue(text, 'tandem_jobs{status="queued"}')).toBe(2);
      expect(seriesValue(text, 'tandem_jobs{status="failed"}')).toBe(1);
    } else {
      expect(await metricsText()).toContain('# TYPE tandem_jobs gauge');
    }
  });

  it('exports a webhook failure counter for the deliverer', async () => {
    const { recordWebhookFailure } = await import('@/lib/observability/metrics');
    recordWebhookFailure('ticket.created');
    expect(
      seriesValue(
        await metricsText(),
        'tandem_webhook_delivery_failures_total{event="ticket.created"}',
      ),
    ).toBe(1);
  });
});
