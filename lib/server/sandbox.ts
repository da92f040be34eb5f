import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, like } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { copyMigratedPglite } from '@/db/pglite-template';
import type { DeskContentVersion } from '@/db/schema';
import {
  actions,
  appSettings,
  categories,
  classifierExamples,
  classifierModels,
  customerAccounts,
  customers,
  kbChunks,
  kbDocuments,
  mcpConnectors,
  procedures,
} from '@/db/schema';
import { seedDatabase } from '@/db/seed';
import { resealSecrets } from '@/lib/actions/secrets';
import type { Config } from '@/lib/config';
import { recordConsent } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import { type Customer, createAnonymousCustomer } from '@/lib/customers/queries';
import { NEW_CUSTOMER } from '@/lib/desk-tests/case';
import { DESK_SETTINGS_PREFIX, readDeskVersion } from '@/lib/desk-tests/desk-version';
import { TandemError } from '@/lib/errors';
import { publishDraftsForTesting } from '@/lib/procedures/store';
import { getConsentSettings } from '@/lib/settings/settings';
import { startApp, stopApp } from './app';
import { type OwnRoute, ownRouteServer } from './own-routes';

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

export interface SandboxOptions {
  siteUsers?: readonly string[];
  /**
   * The desk's own routes its actions may call (an action whose address is the desk's own):
   * answered in-process on the sandbox's database, as the sandbox serves no HTTP.
   */
  ownRoutes?: readonly OwnRoute[];
  /**
   * Which version of each procedure runs: what customers get now (`published`, the default), or
   * each one's draft (`drafts`), to test it before it is published.
   */
  procedures?: 'published' | 'drafts';
}

/**
 * Starts a desk of its own on a fresh embedded database in a temporary folder: the source desk's
 * knowledge base, settings, taxonomy, classifiers, actions and procedures (and the site users
 * named, with their shop accounts), an in-process cache, no job worker, no email and no webhook
 * endpoints — so conversations, tickets, analytics, jobs, webhooks and mail stay inside it. An
 * action still calls the service it names; one naming the desk itself reaches `ownRoutes` on the
 * sandbox's database. The source desk is only read.
 */
export async function openSandbox(
  source: SandboxSource,
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-sandbox-'));
  // Created and migrated already, which is most of a fresh database's start-up.
  await copyMigratedPglite(dir);
  const base = 'copyOf' in source ? source.copyOf.config : source.demoWith;
  const config = sandboxConfig(base, dir, 'demoWith' in source);
  const copy = 'copyOf' in source ? { from: source.copyOf, to: config.secret! } : null;
  let started: AppContext | undefined;
  try {
    started = await startApp(config, {
      seed: copy
        ? (db) => copyDeskContent(copy.from, db, copy.to, options.siteUsers ?? [])
        : async (db) => {
            await seedDatabase(db, config.accounts, {
              secret: config.secret,
              deskUrl: config.deskUrl,
            });
          },
    });
    const app: AppContext =
      'copyOf' in source ? { ...started, model: source.copyOf.model } : started;
    app.sandbox = {
      serveOwnRequest: options.ownRoutes?.length
        ? ownRouteServer(app, options.ownRoutes)
        : undefined,
      siteUserIdOf: siteUserOfCopy,
    };
    if (options.procedures === 'drafts') await publishDraftsForTesting(app.database.db);
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
function sandboxConfig(base: Config, dataDir: string, demo: boolean): Config {
  return {
    ...base,
    // A fresh demo desk shows the demo's own surfaces (its shop) whatever TANDEM_DEMO says here.
    demo: demo || base.demo,
    database: { driver: 'pglite', dataDir },
    cache: { kind: 'memory', prefix: base.cache.prefix },
    kb: { ...base.kb, vectors: { kind: 'database' } },
    jobs: { ...base.jobs, worker: false },
    email: null,
    // Its own secret: nothing signed or sealed in the sandbox is valid anywhere else.
    secret: randomBytes(32).toString('base64url'),
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
 * taxonomy, labelled examples and trained classifiers, actions, MCP connectors and procedures
 * (their secret header values sealed again under the sandbox's secret), and the named site users
 * with their accounts (not what they said or learned: their profile and consent start afresh).
 */
async function copyDeskContent(
  source: AppContext,
  to: Database,
  sandboxSecret: string,
  siteUsers: readonly string[],
) {
  const from = source.database.db;
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
        connectors: await tx.select().from(mcpConnectors),
        actions: await tx.select().from(actions),
        procedures: await tx.select().from(procedures),
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
  const resealed = <T extends { secrets: Record<string, string> }>(row: T): T => ({
    ...row,
    secrets: resealSecrets(source.secret, sandboxSecret, row.secrets),
  });
  await insertAll(content.connectors, (rows) =>
    to.insert(mcpConnectors).values(rows.map(resealed)),
  );
  await insertAll(content.actions, (rows) => to.insert(actions).values(rows.map(resealed)));
  await insertAll(content.procedures, (rows) => to.insert(procedures).values(rows));
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

/** A sandbox's copy of a site user is `<site user id>#<uuid>`. */
/** The site user a copy stands for: the id before the copy's mark (any other id as it is). */
export function siteUserOfCopy(externalId: string): string {
  const copy = /^(.+)#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(
    externalId,
  );
  return copy ? copy[1]! : externalId;
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
