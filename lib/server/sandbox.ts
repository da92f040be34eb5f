import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, like } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { copyMigratedPglite } from '@/db/pglite-template';
import type { DeskContentVersion } from '@/db/schema';
import {
  appSettings,
  categories,
  classifierExamples,
  classifierModels,
  customerAccounts,
  customers,
  kbChunks,
  kbDocuments,
} from '@/db/schema';
import { seedDatabase } from '@/db/seed';
import type { Config } from '@/lib/config';
import { recordConsent } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import { type Customer, createAnonymousCustomer } from '@/lib/customers/queries';
import { NEW_CUSTOMER } from '@/lib/desk-tests/case';
import { DESK_SETTINGS_PREFIX, readDeskVersion } from '@/lib/desk-tests/desk-version';
import { TandemError } from '@/lib/errors';
import { getConsentSettings } from '@/lib/settings/settings';
import { startApp, stopApp } from './app';

export type SandboxSource =
  /** A copy of a running desk's content, answered by that desk's model. */
  | { copyOf: AppContext }
  /** A fresh demo desk, as a first start seeds it, answered by this configuration's model. */
  | { demoWith: Config };

/** A throwaway desk: whatever happens in it stays in it, and it is deleted when closed. */
export interface Sandbox {
  app: AppContext;
  /** The content it holds, as fingerprints to keep beside results. */
  content: DeskContentVersion;
  /**
   * A customer who has accepted the consent notice: a new anonymous one (`new`), or a new copy
   * of a site user (same name, email, site context and shop account), so no two conversations
   * share tickets or memory.
   */
  createCustomer(who: string): Promise<Customer>;
  close(): Promise<void>;
}

/**
 * Starts a desk of its own on a fresh embedded database in a temporary folder: the source desk's
 * knowledge base, settings, taxonomy and classifiers (and the site users named, with their shop
 * accounts), an in-process cache, no job worker, no email and no webhook endpoints — so
 * conversations, tickets, analytics, jobs, webhooks and mail stay inside it. The source desk is
 * only read.
 */
export async function openSandbox(
  source: SandboxSource,
  options: { siteUsers?: readonly string[] } = {},
): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-sandbox-'));
  // Created and migrated already, which is most of a fresh database's start-up.
  await copyMigratedPglite(dir);
  const base = 'copyOf' in source ? source.copyOf.config : source.demoWith;
  const config = sandboxConfig(base, dir);
  let started: AppContext | undefined;
  try {
    started = await startApp(config, {
      seed:
        'copyOf' in source
          ? (db) => copyDeskContent(source.copyOf.database.db, db, options.siteUsers ?? [])
          : async (db) => {
              await seedDatabase(db, config.accounts, { deskUrl: config.deskUrl });
            },
    });
    const app: AppContext =
      'copyOf' in source ? { ...started, model: source.copyOf.model } : started;
    // Builds the search index and embeds the copied passages now, not during the first case.
    await app.kb.retrieve('warm up');
    const content = await readDeskVersion(app.database.db, 'copyOf' in source ? 'copy' : 'demo');
    const stoppable = started;
    return {
      app,
      content,
      createCustomer: (who) => createSandboxCustomer(app, who),
      async close() {
        try {
          await stopApp(stoppable);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    if (started) await stopApp(started).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The source's configuration, with everything that reaches outside the sandbox turned off. */
function sandboxConfig(base: Config, dataDir: string): Config {
  return {
    ...base,
    database: { driver: 'pglite', dataDir },
    cache: { kind: 'memory', prefix: base.cache.prefix },
    kb: { ...base.kb, vectors: { kind: 'database' } },
    jobs: { ...base.jobs, worker: false },
    email: null,
    // Its own signing secret: nothing signed in the sandbox is valid anywhere else.
    secret: undefined,
  };
}

/** Rows per insert: well under PostgreSQL's limit on parameters for the widest table here. */
const BATCH = 100;

async function insertAll<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += BATCH) {
    await insert(rows.slice(start, start + BATCH));
  }
}

/**
 * The content a desk answers from, read in one consistent snapshot and written as it is: the
 * same documents and chunks (their vectors are made again by the sandbox's own store), settings,
 * taxonomy, labelled examples and trained classifiers, and the named site users with their
 * accounts (not what they said or learned: their profile and consent start afresh).
 */
async function copyDeskContent(from: Database, to: Database, siteUsers: readonly string[]) {
  const content = await from.transaction(
    async (tx) => {
      const users = siteUsers.length
        ? await tx
            .select()
            .from(customers)
            .where(inArray(customers.externalId, [...siteUsers]))
        : [];
      return {
        documents: await tx.select().from(kbDocuments),
        chunks: await tx.select().from(kbChunks),
        settings: await tx
          .select()
          .from(appSettings)
          .where(like(appSettings.key, `${DESK_SETTINGS_PREFIX}%`)),
        categories: await tx.select().from(categories),
        examples: await tx.select().from(classifierExamples),
        models: await tx.select().from(classifierModels),
        users,
        accounts: users.length
          ? await tx
              .select()
              .from(customerAccounts)
              .where(
                inArray(
                  customerAccounts.customerId,
                  users.map((u) => u.id),
                ),
              )
          : [],
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  await insertAll(content.documents, (rows) => to.insert(kbDocuments).values(rows));
  await insertAll(content.chunks, (rows) => to.insert(kbChunks).values(rows));
  await insertAll(content.settings, (rows) => to.insert(appSettings).values(rows));
  await insertAll(content.categories, (rows) => to.insert(categories).values(rows));
  await insertAll(content.examples, (rows) => to.insert(classifierExamples).values(rows));
  await insertAll(content.models, (rows) => to.insert(classifierModels).values(rows));
  await insertAll(content.users, (rows) =>
    to.insert(customers).values(
      rows.map((u) => ({
        id: u.id,
        externalId: u.externalId,
        name: u.name,
        email: u.email,
        language: u.language,
        context: u.context,
      })),
    ),
  );
  await insertAll(content.accounts, (rows) => to.insert(customerAccounts).values(rows));
}

async function createSandboxCustomer(app: AppContext, who: string): Promise<Customer> {
  const { db } = app.database;
  const customer =
    who === NEW_CUSTOMER ? await createAnonymousCustomer(db) : await copySiteUser(db, who);
  const { version } = await getConsentSettings(db, app.config.consent.requiredByDefault);
  return recordConsent(db, { customerId: customer.id, decision: 'granted', version });
}

async function copySiteUser(db: Database, externalId: string): Promise<Customer> {
  const [user] = await db.select().from(customers).where(eq(customers.externalId, externalId));
  if (!user) {
    throw new TandemError('not_found:customer', `This desk has no site user "${externalId}".`);
  }
  const [account] = await db
    .select()
    .from(customerAccounts)
    .where(eq(customerAccounts.customerId, user.id));
  const [copy] = await db
    .insert(customers)
    .values({
      // Still a site user (so verified-only tools serve them), under an id of this copy's own.
      externalId: `${externalId}#${randomUUID()}`,
      name: user.name,
      email: user.email,
      language: user.language,
      context: user.context,
    })
    .returning();
  if (account) await db.insert(customerAccounts).values({ ...account, customerId: copy!.id });
  return copy!;
}
