import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/passwords';
import { DEFAULT_CANNED_RESPONSES } from '@/lib/canned-responses/canned-responses';
import { seedTaxonomy } from '@/lib/classify/classifier-store';
import type { AccountSeed } from '@/lib/config';
import { parseArticle } from '@/lib/kb/article';
import { upsertArticle } from '@/lib/kb/queries';
import { startSetup } from '@/lib/settings/desk-setup';
import { type WidgetSettings, widgetSettingsSchema } from '@/lib/settings/schema';
import { saveWidgetSettings } from '@/lib/settings/settings';
import type { Database } from '../client';
import { appSettings, cannedResponses, customerAccounts, customers, users } from '../schema';
import { seedDemoProcedures } from './demo-procedures';
import { seedDemoShop } from './demo-shop';

/** Set once the demo help center, widget and customers are installed; kept after their removal. */
export const DEMO_KB_SEEDED = 'seeded:demo-kb';
const CANNED_RESPONSES_SEEDED = 'seeded:canned-responses';

export const demoKnowledgeBaseDir = path.join(process.cwd(), 'content', 'kb');
/** The demo shop's name, its assistant's name and greeting, which its help center speaks of. */
export const demoWidgetSettingsFile = path.join(
  process.cwd(),
  'content',
  'demo',
  'widget-settings.json',
);

export interface SeedReport {
  articles: number;
  createdAccounts: { role: 'admin' | 'agent'; email: string; password?: string }[];
}

/** What the demo shop needs to install: the configured secret (if any) and the desk's URL. */
export interface DemoShopSeed {
  secret?: string;
  deskUrl: string;
}

const TAXONOMY_SEEDED = 'seeded:taxonomy';

/**
 * First-start data. Every desk gets the taxonomy, canned responses and the admin and agent
 * accounts. A demo desk (`demo` not false) also gets the demo help center with the widget of the
 * shop it describes and its customers, and, given `demo` (the shop's settings), the demo shop. A
 * clean desk (`demo: false`) gets nothing of the demo, and when it is new its first admin is taken
 * through the setup wizard. Each part runs once per database, so what an admin later changes stays
 * that way. Callers run it under the migration lock, so instances starting together do not seed
 * twice.
 */
export async function seedDatabase(
  db: Database,
  accounts: { admin: AccountSeed; agent: AccountSeed },
  demo?: DemoShopSeed | false,
): Promise<SeedReport> {
  const report: SeedReport = { articles: 0, createdAccounts: [] };
  const seeded = new Set(
    (
      await db
        .select({ key: appSettings.key })
        .from(appSettings)
        .where(inArray(appSettings.key, [DEMO_KB_SEEDED, TAXONOMY_SEEDED]))
    ).map((row) => row.key),
  );
  const newDesk =
    seeded.size === 0 && (await db.select({ id: users.id }).from(users).limit(1)).length === 0;
  if (!seeded.has(TAXONOMY_SEEDED) && !seeded.has(DEMO_KB_SEEDED)) {
    // A clean desk keeps none of the examples that name the demo's business.
    const demoName = demo === false ? (await readDemoWidget()).businessName : undefined;
    await seedTaxonomy(db, demoName ? (e) => !mentions(e.text, demoName) : undefined);
    await db.insert(appSettings).values({ key: TAXONOMY_SEEDED, value: sql`to_jsonb(now())` });
  }
  if (demo !== false && !seeded.has(DEMO_KB_SEEDED)) {
    report.articles = await seedKnowledgeBase(db, demoKnowledgeBaseDir);
    await saveWidgetSettings(db, await readDemoWidget());
    await seedDemoCustomers(db);
    await db.insert(appSettings).values({ key: DEMO_KB_SEEDED, value: sql`to_jsonb(now())` });
  }
  // With the demo content (now or on an earlier start), its shop: orders, token and actions.
  if (demo) {
    const appSecret = await loadOrCreateSecret(db, demo.secret);
    await seedDemoShop(db, { appSecret, deskUrl: demo.deskUrl });
    // Its procedures call the shop's actions, so they come after them.
    await seedDemoProcedures(db);
  }
  if (demo === false && newDesk) await startSetup(db);
  const [canned] = await db
    .select({ key: appSettings.key })
    .from(appSettings)
    .where(eq(appSettings.key, CANNED_RESPONSES_SEEDED));
  if (!canned) {
    await db.insert(cannedResponses).values(DEFAULT_CANNED_RESPONSES).onConflictDoNothing();
    await db
      .insert(appSettings)
      .values({ key: CANNED_RESPONSES_SEEDED, value: sql`to_jsonb(now())` });
  }
  for (const role of ['admin', 'agent'] as const) {
    const created = await ensureAccount(db, role, accounts[role]);
    if (created) report.createdAccounts.push(created);
  }
  return report;
}

function mentions(text: string, name: string): boolean {
  return text.toLowerCase().includes(name.toLowerCase());
}

export async function seedKnowledgeBase(db: Database, dir: string): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) {
    const article = parseArticle(await readFile(path.join(dir, file), 'utf8'), file);
    await upsertArticle(db, article);
  }
  return files.length;
}

/** Validated as an admin's save is, so a bad edit of the file stops the seed with its field. */
export async function readDemoWidget(): Promise<WidgetSettings> {
  return widgetSettingsSchema.parse(JSON.parse(await readFile(demoWidgetSettingsFile, 'utf8')));
}

/** Shop customers a site can sign in as (see /api/widget/identify), with accounts lookup_account reads. */
export const DEMO_CUSTOMERS = [
  {
    externalId: 'demo-alice',
    name: 'Alice Tan',
    email: 'alice.tan@example.com',
    account: {
      plan: 'Plus',
      status: 'active',
      renewalDate: '2026-12-15',
      lastInvoice: {
        number: 'INV-10492',
        amount: 9,
        currency: 'SGD',
        issuedOn: '2026-11-15',
        status: 'paid',
      },
    },
  },
  {
    externalId: 'demo-ben',
    name: 'Ben Lim',
    email: 'ben.lim@example.com',
    account: {
      plan: 'Pro',
      status: 'past due',
      renewalDate: '2026-11-28',
      lastInvoice: {
        number: 'INV-10517',
        amount: 29,
        currency: 'SGD',
        issuedOn: '2026-11-18',
        status: 'failed',
      },
    },
  },
] as const;

async function seedDemoCustomers(db: Database) {
  for (const demo of DEMO_CUSTOMERS) {
    const [customer] = await db
      .insert(customers)
      .values({
        externalId: demo.externalId,
        name: demo.name,
        email: demo.email,
        context: { plan: demo.account.plan },
      })
      .onConflictDoNothing({ target: customers.externalId })
      .returning({ id: customers.id });
    if (customer) {
      await db.insert(customerAccounts).values({
        customerId: customer.id,
        ...demo.account,
        lastInvoice: { ...demo.account.lastInvoice },
      });
    }
  }
}

async function ensureAccount(db: Database, role: 'admin' | 'agent', seed: AccountSeed) {
  const email = seed.email.toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return null;
  const generated = seed.password ? undefined : randomBytes(12).toString('base64url');
  const password = seed.password ?? generated!;
  const inserted = await db
    .insert(users)
    .values({
      email,
      name: role === 'admin' ? 'Admin' : 'Support Agent',
      role,
      passwordHash: await hashPassword(password),
    })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  // Another instance may have created it a moment earlier; only the creator reports it.
  if (inserted.length === 0) return null;
  return { role, email, password: generated };
}

/** The instance-wide signing secret: configured, or generated once and kept in the database. */
export async function loadOrCreateSecret(db: Database, configured?: string): Promise<string> {
  if (configured) return configured;
  await db
    .insert(appSettings)
    .values({ key: 'session-secret', value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing({ target: appSettings.key });
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, 'session-secret'));
  if (typeof row?.value !== 'string') throw new Error('The session secret could not be stored');
  return row.value;
}
