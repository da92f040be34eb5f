import { eq, sql } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as removeDemo } from '@/app/api/admin/demo-content/route';
import { GET as shopOpenApi } from '@/app/api/demo-shop/openapi.json/route';
import {
  actions,
  auditLog,
  conversations,
  customers,
  demoOrders,
  kbDocuments,
  messages,
  procedures,
} from '@/db/schema';
import { seedDatabase } from '@/db/seed';
import { isDemoActive, isDemoInstalled } from '@/db/seed/demo-state';
import type { AppContext } from '@/lib/context';
import { parseArticle } from '@/lib/kb/article';
import { DEFAULT_WIDGET_SETTINGS } from '@/lib/settings/schema';
import { getWidgetSettings } from '@/lib/settings/settings';
import { signedInStaff, startServedTestApp } from '../harness/app';

let served: Awaited<ReturnType<typeof startServedTestApp>>;
let app: AppContext;
let adminCookie: string;
let agentCookie: string;

const noParams = { params: Promise.resolve({}) };
const request = (cookie: string) =>
  new Request('http://localhost/api/admin/demo-content', { method: 'DELETE', headers: { cookie } });
const countOf = async (table: AnyPgTable) =>
  (await app.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

beforeAll(async () => {
  served = await startServedTestApp();
  app = served.app;
  adminCookie = (await signedInStaff(app, 'admin', 'Ada Admin')).cookie;
  agentCookie = (await signedInStaff(app, 'agent', 'Andy Agent')).cookie;
}, 120_000);
afterAll(async () => {
  await served?.stop();
});

describe('removing the demo content', () => {
  it('is for admins only', async () => {
    expect(app.config.demo).toBe(true);
    const refused = await removeDemo(request(agentCookie), noParams);
    expect(refused.status).toBe(403);
    expect(await isDemoInstalled(app.database.db)).toBe(true);
  });

  it('deletes the demo’s articles, customers and their conversations, actions, procedures and orders, and nothing else', async () => {
    const { db } = app.database;
    const [alice] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.externalId, 'demo-alice'));
    const [conversation] = await db
      .insert(conversations)
      .values({ customerId: alice!.id })
      .returning({ id: conversations.id });
    await db.insert(messages).values({
      conversationId: conversation!.id,
      role: 'customer',
      content: 'Where is my order?',
    });
    // The admin's own article stays.
    await app.kb.indexArticle(
      parseArticle(
        '---\ntitle: Our returns address\nslug: our-returns-address\n---\n\nSend returns to 1 Main Street.',
        'returns.md',
      ),
    );
    expect(await countOf(kbDocuments)).toBe(21);
    expect(await countOf(demoOrders)).toBeGreaterThan(0);
    expect(await countOf(procedures)).toBeGreaterThan(0);
    expect(
      (await shopOpenApi(new Request('http://localhost/api/demo-shop/openapi.json'), noParams))
        .status,
    ).toBe(200);

    const response = await removeDemo(request(adminCookie), noParams);
    expect(response.status).toBe(200);
    const { removed } = await response.json();
    expect(removed).toMatchObject({
      articles: 20,
      customers: 2,
      conversations: 1,
      actions: 4,
      widgetReset: true,
    });
    expect(removed.orders).toBeGreaterThan(0);
    expect(removed.procedures).toBeGreaterThan(0);

    expect(
      (await db.select({ slug: kbDocuments.slug }).from(kbDocuments)).map((d) => d.slug),
    ).toEqual(['our-returns-address']);
    expect(await countOf(customers)).toBe(0);
    expect(await countOf(conversations)).toBe(0);
    expect(await countOf(messages)).toBe(0);
    expect(await countOf(actions)).toBe(0);
    expect(await countOf(procedures)).toBe(0);
    expect(await countOf(demoOrders)).toBe(0);
    expect(await getWidgetSettings(db)).toEqual(DEFAULT_WIDGET_SETTINGS);
    // Its surfaces are off for this desk although TANDEM_DEMO is on.
    expect(await isDemoActive(db, app.config.demo)).toBe(false);
    const shop = await shopOpenApi(
      new Request('http://localhost/api/demo-shop/openapi.json'),
      noParams,
    );
    expect(shop.status).toBe(404);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'demo.removed'));
    expect(entry).toMatchObject({ actorType: 'staff', actorName: 'Ada Admin' });
    expect(entry!.details).toMatchObject({ articles: 20, customers: 2 });
  });

  it('stays removed: a restart with TANDEM_DEMO on installs nothing again, and a second removal is a 404', async () => {
    const { db } = app.database;
    const report = await seedDatabase(db, app.config.accounts, {
      deskUrl: app.config.deskUrl,
      secret: app.secret,
    });
    expect(report.articles).toBe(0);
    expect(await countOf(customers)).toBe(0);
    expect(await countOf(actions)).toBe(0);
    expect(await countOf(demoOrders)).toBe(0);
    const again = await removeDemo(request(adminCookie), noParams);
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe('not_found:demo');
  });
});
