import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as outcomesRoute } from '@/app/api/v1/analytics/outcomes/route';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { DURABLE_DAYS, OUTCOME_DEFINITIONS, OUTCOMES, QUIET_HOURS } from '@/lib/analytics/outcomes';
import { parseDateRange } from '@/lib/analytics/range';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { resolveUnheld } from '@/lib/conversations/handoff';
import { recordAiMessage, recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let readKey: string;

/** A customer's question and the AI's reply, resolved through the API when asked. */
async function conversation({ abstained = false, resolved = false } = {}) {
  const { db } = app.database;
  const customer = await createAnonymousCustomer(db);
  const { conversation } = await recordCustomerMessage(db, {
    customerId: customer.id,
    content: 'How long do refunds take?',
  });
  await recordAiMessage(db, {
    id: randomUUID(),
    conversationId: conversation.id,
    content: abstained ? "I'm not sure." : 'Refunds take 5 to 10 working days.',
    parts: [],
    metadata: abstained
      ? { abstained: true, citations: [] }
      : {
          abstained: false,
          citations: [{ documentId: randomUUID(), slug: 'refunds', title: 'Refunds' }],
        },
  });
  if (resolved) await resolveUnheld(app, conversation.id, { by: 'api' });
}

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  readKey = (
    await createApiKey(app.database.db, {
      name: 'analytics reader',
      scopes: ['read'],
      rateLimitPerMinute: 10_000,
    })
  ).key;
  await conversation({ resolved: true });
  await conversation({ resolved: true });
  await conversation({ abstained: true });
});
afterAll(() => stop());

const get = (query: string, key: string | null = readKey) =>
  outcomesRoute(
    new Request(`http://localhost/api/v1/analytics/outcomes${query}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    }),
    { params: Promise.resolve({}) },
  );

describe('GET /api/v1/analytics/outcomes', () => {
  it('gives the same figures as the dashboard for the range, each with its definition', async () => {
    // Two days, so a run just after midnight (UTC) still covers the conversations made above.
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const response = await get(`?from=${yesterday}&to=${today}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    const dashboard = await dashboardMetrics(
      app.database.db,
      parseDateRange({ from: yesterday, to: today }),
    );
    expect(body.conversations).toBe(dashboard.outcomes.conversations);
    expect(body.outcomes.ai_resolved.count).toBeGreaterThanOrEqual(2);
    for (const outcome of OUTCOMES) {
      expect(body.outcomes[outcome]).toEqual({
        ...dashboard.outcomes.outcomes[outcome],
        ...OUTCOME_DEFINITIONS[outcome],
      });
    }
    expect(body.durable).toEqual({ ...dashboard.outcomes.durable, ...OUTCOME_DEFINITIONS.durable });
    expect(body.durable.pending).toBeGreaterThanOrEqual(2);
    expect(body.daily).toEqual(
      dashboard.outcomes.daily.map(({ day, counts }) => ({ day, ...counts })),
    );
    expect(body.ai_resolution_seconds).toEqual(dashboard.resolution.ai);
    expect(body.windows).toEqual({ quiet_hours: QUIET_HOURS, durable_days: DURABLE_DAYS });
    expect(body.range).toEqual(dashboard.range);
  });

  it('takes a preset number of days like the summary', async () => {
    const body = await (await get('?days=7')).json();
    expect(body.conversations).toBeGreaterThanOrEqual(3);
    expect(new Date(body.range.to).getTime() - new Date(body.range.from).getTime()).toBe(
      7 * 86_400_000,
    );
  });

  it('refuses a missing or unknown key', async () => {
    expect((await get('?days=7', null)).status).toBe(401);
    expect((await get('?days=7', 'tdk_not-a-real-key')).status).toBe(401);
  });

  it('refuses a bad range, naming what is wrong', async () => {
    const malformed = await get('?from=yesterday&to=2026-11-30');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.details.fields).toEqual([
      expect.objectContaining({ field: 'from' }),
    ]);
    expect((await get('?days=12')).status).toBe(400);
    const oneSided = await get('?from=2026-11-01');
    expect(oneSided.status).toBe(400);
    expect((await oneSided.json()).error.code).toBe('bad_request:range');
    expect((await get('?from=2026-11-10&to=2026-11-01')).status).toBe(400);
  });
});
