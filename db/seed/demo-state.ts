import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '@/lib/context';
import { parseArticle } from '@/lib/kb/article';
import { getDocumentBySlug } from '@/lib/kb/queries';
import { type Actor, audit } from '@/lib/privacy/audit';
import { eraseCustomer } from '@/lib/privacy/customer-data';
import { readStoredSetting, writeStoredSetting } from '@/lib/settings/queries';
import { getWidgetSettings, resetWidgetSettings } from '@/lib/settings/settings';
import type { Database } from '../client';
import { actions, appSettings, customers, demoOrders, procedures } from '../schema';
import { demoProceduresFile } from './demo-procedures';
import { DEMO_SHOP_TOKEN_KEY, demoActionsFile } from './demo-shop';
import { DEMO_CUSTOMERS, DEMO_KB_SEEDED, demoKnowledgeBaseDir, readDemoWidget } from './index';

/*
 * Whether this desk shows the demo, and taking the demo out of a desk that started as one. The
 * demo's surfaces (the shop at `/`, its API, its sign-in-as shoppers) are on when TANDEM_DEMO is
 * and the demo content was installed and not removed since. Removal keeps the "seeded" markers,
 * so a restart with TANDEM_DEMO still on does not install it again.
 */

const DEMO_REMOVED = 'demo:removed';

export async function isDemoInstalled(db: Database): Promise<boolean> {
  const [installed, removed] = await Promise.all([
    readStoredSetting(db, DEMO_KB_SEEDED),
    readStoredSetting(db, DEMO_REMOVED),
  ]);
  return installed !== undefined && removed === undefined;
}

/** The demo's own pages and API are served: configured on, installed, not removed. */
export async function isDemoActive(db: Database, configured: boolean): Promise<boolean> {
  return configured && isDemoInstalled(db);
}

export interface DemoRemoval {
  articles: number;
  customers: number;
  conversations: number;
  actions: number;
  procedures: number;
  orders: number;
  widgetReset: boolean;
}

async function demoArticleSlugs(): Promise<string[]> {
  const files = (await readdir(demoKnowledgeBaseDir)).filter((f) => f.endsWith('.md'));
  return Promise.all(
    files.map(
      async (file) =>
        parseArticle(await readFile(path.join(demoKnowledgeBaseDir, file), 'utf8'), file).slug,
    ),
  );
}

async function namesIn(file: string, list: 'actions' | 'procedures'): Promise<string[]> {
  const parsed = z
    .object({ [list]: z.array(z.object({ name: z.string() }).passthrough()) })
    .parse(JSON.parse(await readFile(file, 'utf8'))) as Record<string, { name: string }[]>;
  return parsed[list]!.map((entry) => entry.name);
}

/**
 * Deletes everything the demo installed — its help articles, its customers with their
 * conversations (erased as an erasure request would), its actions, procedures and shop orders and
 * the shop's token — turns the demo's surfaces off for this desk, and puts it on the audit trail.
 * The widget goes back to Tandem's defaults only if it still wears the demo's names.
 */
export async function removeDemoContent(
  app: Pick<AppContext, 'database' | 'kb' | 'cache' | 'secret'>,
  actor: Actor,
): Promise<DemoRemoval> {
  const { db } = app.database;
  const removal: DemoRemoval = {
    articles: 0,
    customers: 0,
    conversations: 0,
    actions: 0,
    procedures: 0,
    orders: 0,
    widgetReset: false,
  };
  // Flagged first: should a later step fail, the shop is already closed and a retry finishes.
  await writeStoredSetting(db, DEMO_REMOVED, new Date().toISOString());

  for (const slug of await demoArticleSlugs()) {
    const document = await getDocumentBySlug(db, slug);
    if (document && (await app.kb.deleteDocument(document.id))) removal.articles++;
  }

  const demoCustomers = await db
    .select({ id: customers.id })
    .from(customers)
    .where(
      inArray(
        customers.externalId,
        DEMO_CUSTOMERS.map((c) => c.externalId),
      ),
    );
  for (const customer of demoCustomers) {
    const receipt = await eraseCustomer(app, customer.id, actor);
    removal.customers++;
    removal.conversations += receipt.counts.conversations ?? 0;
  }

  const actionNames = await namesIn(demoActionsFile, 'actions');
  removal.actions = (
    await db.delete(actions).where(inArray(actions.name, actionNames)).returning({ id: actions.id })
  ).length;
  const procedureNames = await namesIn(demoProceduresFile, 'procedures');
  removal.procedures = (
    await db
      .delete(procedures)
      .where(inArray(procedures.name, procedureNames))
      .returning({ id: procedures.id })
  ).length;
  removal.orders = (await db.delete(demoOrders).returning({ number: demoOrders.number })).length;
  await db.delete(appSettings).where(eq(appSettings.key, DEMO_SHOP_TOKEN_KEY));

  const [widget, demoWidget] = await Promise.all([getWidgetSettings(db), readDemoWidget()]);
  if (widget.name === demoWidget.name || widget.businessName === demoWidget.businessName) {
    await resetWidgetSettings(db);
    removal.widgetReset = true;
  }

  await audit(db, actor, 'demo.removed', { type: 'desk', id: 'demo' }, { ...removal });
  return removal;
}
