import { sql } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  actions,
  appSettings,
  cannedResponses,
  classifierExamples,
  customers,
  demoOrders,
  kbDocuments,
  procedures,
  users,
} from '@/db/schema';
import { readDemoWidget, seedDatabase } from '@/db/seed';
import { isDemoActive, isDemoInstalled } from '@/db/seed/demo-state';
import { answerInstructions } from '@/lib/ai/prompts';
import { getSetupState, isSetupPending } from '@/lib/settings/desk-setup';
import { DEFAULT_WIDGET_SETTINGS } from '@/lib/settings/schema';
import { getAssistantIdentity, getWidgetSettings } from '@/lib/settings/settings';
import { smallTalkReply } from '@/lib/turn/small-talk';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

const accounts = {
  admin: { email: 'admin@tandem.test', password: 'admin-password-1' },
  agent: { email: 'agent@tandem.test', password: 'agent-password-1' },
};
const shop = { deskUrl: 'http://desk.test' };

let handle: TestDatabaseContext | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const countOf = async (db: TestDatabaseContext['db'], table: AnyPgTable) =>
  (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

/** Every text a clean desk holds that a customer, an admin or the model could read. */
async function everythingStored(db: TestDatabaseContext['db']): Promise<string> {
  const dump = await Promise.all([
    db.select().from(appSettings),
    db.select().from(kbDocuments),
    db.select().from(classifierExamples),
    db.select().from(cannedResponses),
    db.select().from(customers),
    db.select().from(actions),
    db.select().from(procedures),
  ]);
  const identity = await getAssistantIdentity(db);
  return JSON.stringify([
    dump,
    answerInstructions(identity, []),
    ...['en', 'zh', 'ms'].map((language) => smallTalkReply('hello', language, identity)),
  ]);
}

describe('seeding a desk', () => {
  it('clean: accounts, taxonomy and canned responses, nothing of the demo, the wizard pending', async () => {
    handle = await openTestDatabase();
    const { db } = handle;
    const report = await seedDatabase(db, accounts, false);
    expect(report.articles).toBe(0);
    expect(report.createdAccounts.map((a) => a.email)).toEqual([
      'admin@tandem.test',
      'agent@tandem.test',
    ]);
    expect(await countOf(db, kbDocuments)).toBe(0);
    expect(await countOf(db, customers)).toBe(0);
    expect(await countOf(db, demoOrders)).toBe(0);
    expect(await countOf(db, actions)).toBe(0);
    expect(await countOf(db, procedures)).toBe(0);
    expect(await countOf(db, users)).toBe(2);
    expect(await countOf(db, classifierExamples)).toBeGreaterThan(600);
    expect(await countOf(db, cannedResponses)).toBeGreaterThan(0);
    expect(await getWidgetSettings(db)).toEqual(DEFAULT_WIDGET_SETTINGS);
    expect(await isSetupPending(db)).toBe(true);
    expect(await isDemoInstalled(db)).toBe(false);
    expect(await isDemoActive(db, true)).toBe(false);

    const demoName = (await readDemoWidget()).businessName!;
    expect(demoName).toBe('Parcelly');
    expect((await everythingStored(db)).toLowerCase()).not.toContain(demoName.toLowerCase());

    // A restart seeds nothing more and leaves the wizard where it was.
    expect(await seedDatabase(db, accounts, false)).toEqual({ articles: 0, createdAccounts: [] });
    expect(await getSetupState(db)).toEqual({ completedAt: null, visited: [] });
  });

  it('demo: the help center, the shop’s widget, customers, shop orders, actions and procedures', async () => {
    handle = await openTestDatabase();
    const { db, secret } = handle;
    const report = await seedDatabase(db, accounts, { ...shop, secret });
    expect(report.articles).toBe(20);
    expect(await countOf(db, kbDocuments)).toBe(20);
    expect(
      (await db.select({ externalId: customers.externalId }).from(customers))
        .map((c) => c.externalId)
        .sort(),
    ).toEqual(['demo-alice', 'demo-ben']);
    expect(await countOf(db, demoOrders)).toBeGreaterThan(0);
    expect(await countOf(db, actions)).toBe(4);
    expect(await countOf(db, procedures)).toBeGreaterThan(0);
    expect((await getWidgetSettings(db)).businessName).toBe('Parcelly');
    // A demo desk is ready to show: no wizard.
    expect(await getSetupState(db)).toBeNull();
    expect(await isSetupPending(db)).toBe(false);
    expect(await isDemoActive(db, true)).toBe(true);
    // TANDEM_DEMO turned off later: the content stays (until removed) but its pages do not show.
    expect(await isDemoActive(db, false)).toBe(false);
  });

  it('an existing desk gets no wizard when it restarts clean', async () => {
    handle = await openTestDatabase();
    const { db } = handle;
    await seedDatabase(db, accounts, { ...shop, secret: handle.secret });
    await seedDatabase(db, accounts, false);
    expect(await isSetupPending(db)).toBe(false);
    // Nor does the demo come back as a second taxonomy seed.
    const before = await countOf(db, classifierExamples);
    await seedDatabase(db, accounts, false);
    expect(await countOf(db, classifierExamples)).toBe(before);
  });
});
