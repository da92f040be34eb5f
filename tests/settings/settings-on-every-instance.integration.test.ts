import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookDeliveries } from '@/db/schema';
import {
  getAssistantIdentity,
  getEscalationThresholds,
  getWidgetSettings,
  SETTINGS_TTL_MS,
  saveEscalationOverride,
  saveWidgetSettings,
} from '@/lib/settings/settings';
import { createWebhookEndpoint, deleteWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { emitWebhookEvent, WEBHOOK_SUBSCRIBERS_TTL_MS } from '@/lib/webhooks/events';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';

/*
 * Two instances of the app on one PostgreSQL database, each with its own connections and its own
 * copies of what a turn reads every time. Only the clock is faked, so nothing here waits.
 */
const baseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!baseUrl)('settings cached on each instance', () => {
  let server: TestDatabase;
  let one: TestDatabaseContext;
  let two: TestDatabaseContext;

  beforeAll(async () => {
    server = await createTestDatabase(baseUrl!);
    one = await openTestDatabase({ DATABASE_URL: server.url });
    two = await openTestDatabase({ DATABASE_URL: server.url });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await server?.drop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('still update within 5 seconds on every instance', async () => {
    expect(SETTINGS_TTL_MS).toBeLessThanOrEqual(5_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    const defaults = one.config.escalation;
    const widget = await getWidgetSettings(one.db);
    expect(await getWidgetSettings(two.db)).toEqual(widget);
    const thresholds = await getEscalationThresholds(two.db, defaults);

    await saveWidgetSettings(one.db, { ...widget, name: 'Juniper' });
    await saveEscalationOverride(one.db, { frustration: 0.42 });
    // The instance that saved uses the new values at once.
    expect((await getAssistantIdentity(one.db)).assistantName).toBe('Juniper');
    expect((await getEscalationThresholds(one.db, defaults)).frustration).toBe(0.42);
    // The other may keep its copy for a while, but not past the five seconds.
    vi.advanceTimersByTime(4_999);
    expect(await getEscalationThresholds(two.db, defaults)).toEqual(thresholds);
    vi.advanceTimersByTime(1);
    expect((await getWidgetSettings(two.db)).name).toBe('Juniper');
    expect((await getAssistantIdentity(two.db)).assistantName).toBe('Juniper');
    expect((await getEscalationThresholds(two.db, defaults)).frustration).toBe(0.42);
  });

  it('send events to a new webhook endpoint within 5 seconds on every instance, and none to a removed one', async () => {
    expect(WEBHOOK_SUBSCRIBERS_TTL_MS).toBeLessThanOrEqual(5_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    const emit = async (app: TestDatabaseContext, marker: string) => {
      await emitWebhookEvent(app.db, 'csat.received', { marker });
      return (
        await one.db
          .select({ payload: webhookDeliveries.payload })
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.eventType, 'csat.received'))
      ).filter((row) => (row.payload as { data: { marker: string } }).data.marker === marker)
        .length;
    };
    // Both instances have looked: nobody subscribes yet.
    expect(await emit(one, 'before-1')).toBe(0);
    expect(await emit(two, 'before-2')).toBe(0);

    const endpoint = await createWebhookEndpoint(one.db, {
      url: 'http://127.0.0.1:9/hook',
      events: ['csat.received'],
      allowPrivateNetworks: true,
    });
    expect(await emit(one, 'saved-here')).toBe(1);
    vi.advanceTimersByTime(WEBHOOK_SUBSCRIBERS_TTL_MS);
    expect(await emit(two, 'elsewhere')).toBe(1);

    // A removed endpoint gets nothing on any instance, whatever either remembers.
    await deleteWebhookEndpoint(one.db, endpoint.id);
    expect(await emit(two, 'after-removal')).toBe(0);
    expect(await emit(one, 'after-removal-here')).toBe(0);
  });
});
