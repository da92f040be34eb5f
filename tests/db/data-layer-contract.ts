import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { asc, count, eq, getTableName, is, type SQL, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '@/db/client';
import * as schema from '@/db/schema';
import {
  appSettings,
  conversations,
  kbChunks,
  kbDocuments,
  type MessageMetadata,
  messages,
  tickets,
  users,
} from '@/db/schema';
import { demoKnowledgeBaseDir, loadOrCreateSecret, seedDatabase } from '@/db/seed';
import {
  getCustomerConversationOrThrow,
  listMessages,
  recordAiMessage,
  recordCustomerMessage,
} from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { parseArticle } from '@/lib/kb/article';
import { chunkMarkdown } from '@/lib/kb/chunk';
import { getKnowledgeBaseVersion, upsertArticle } from '@/lib/kb/queries';

/** The articles shipped in content/kb, which the seed loads. */
export const DEMO_ARTICLES = readdirSync(demoKnowledgeBaseDir).filter((f) =>
  f.endsWith('.md'),
).length;

export interface OpenedDatabase {
  handle: DatabaseHandle;
  cleanup(): Promise<void>;
}

export interface DataLayerOptions {
  /** Proves the suite reached the engine its name claims, not some other one. */
  verifyEngine?: (handle: DatabaseHandle) => Promise<void>;
  /** For servers: ends the handle's sessions from the server side; resolves to how many. */
  dropServerConnections?: () => Promise<number>;
}

async function countCommittedMigrations(): Promise<number> {
  const journalFile = path.join(process.cwd(), 'db', 'migrations', 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** What the schema declares, so the migrations are checked against it rather than a copy. */
const declaredTables = Object.values(schema)
  .filter((value) => is(value, PgTable))
  .map((table) => getTableName(table))
  .sort();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Drizzle wraps driver errors; the driver's own error (with the SQLSTATE code) is the cause. */
async function catchDatabaseError(
  work: Promise<unknown>,
): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    return cause as { code?: string; message: string };
  }
  throw new Error('Expected the database to reject the statement');
}

async function catchTandemError(work: Promise<unknown>): Promise<TandemError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TandemError) return error;
    throw error;
  }
  throw new Error('Expected a TandemError');
}

function buildArticle(slug: string, title: string, body: string) {
  return parseArticle(`---\ntitle: ${title}\nslug: ${slug}\ncategory: testing\n---\n${body}`);
}

const uniqueSlug = (label: string) => `contract-${label}-${randomBytes(4).toString('hex')}`;

async function listDemoArticles() {
  const files = (await readdir(demoKnowledgeBaseDir)).filter((f) => f.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (file) =>
      parseArticle(await readFile(path.join(demoKnowledgeBaseDir, file), 'utf8'), file),
    ),
  );
}

export function describeDataLayer(
  name: string,
  open: () => Promise<OpenedDatabase>,
  { verifyEngine, dropServerConnections }: DataLayerOptions = {},
): void {
  describe(name, () => {
    let opened: OpenedDatabase | undefined;
    let handle: DatabaseHandle;
    let db: Database;

    beforeAll(async () => {
      opened = await open();
      handle = opened.handle;
      db = handle.db;
      await handle.migrate();
    });

    afterAll(async () => {
      await opened?.cleanup();
    });

    if (verifyEngine) {
      it('runs on the engine its name says', async () => {
        await verifyEngine(handle);
      });
    }

    it('answers ping', async () => {
      await expect(handle.ping()).resolves.toBeUndefined();
    });

    it('applies each committed migration exactly once, even when migrate runs again', async () => {
      const committed = await countCommittedMigrations();
      expect(committed).toBeGreaterThan(0);
      const appliedMigrations = sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(await queryRows(db, appliedMigrations)).toEqual([{ n: committed }]);

      await handle.migrate();

      expect(await queryRows(db, appliedMigrations)).toEqual([{ n: committed }]);
      const tables = await queryRows<{ name: string }>(
        db,
        sql`select table_name as name from information_schema.tables
            where table_schema = 'public'`,
      );
      expect(declaredTables).toContain('kb_chunks');
      expect(tables.map((t) => t.name).sort()).toEqual(declaredTables);
    });

    it('seeds the demo articles and both accounts once, storing only bcrypt hashes', async () => {
      const accounts = {
        admin: { email: 'Admin@Tandem.Test', password: 'admin-password-1' },
        agent: { email: 'agent@tandem.test' },
      };
      const demoArticles = await listDemoArticles();
      expect(demoArticles).toHaveLength(DEMO_ARTICLES);

      const first = await seedDatabase(db, accounts);
      expect(first).toEqual({
        articles: DEMO_ARTICLES,
        createdAccounts: [
          { role: 'admin', email: 'admin@tandem.test', password: undefined },
          { role: 'agent', email: 'agent@tandem.test', password: expect.any(String) },
        ],
      });
      const generatedPassword = first.createdAccounts[1]?.password ?? '';
      expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);

      // Sorted here: server collations disagree on where dashes go.
      const bySlug = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : 1);
      const documents = (
        await db.select({ slug: kbDocuments.slug, title: kbDocuments.title }).from(kbDocuments)
      ).sort(bySlug);
      expect(documents).toEqual(
        demoArticles.map((a) => ({ slug: a.slug, title: a.title })).sort(bySlug),
      );
      const expectedChunks = demoArticles.reduce((n, a) => n + chunkMarkdown(a.body).length, 0);
      expect(await db.select({ n: count() }).from(kbChunks)).toEqual([{ n: expectedChunks }]);

      const stored = await db
        .select({ email: users.email, role: users.role, hash: users.passwordHash })
        .from(users)
        .orderBy(asc(users.email));
      expect(stored.map(({ email, role }) => ({ email, role }))).toEqual([
        { email: 'admin@tandem.test', role: 'admin' },
        { email: 'agent@tandem.test', role: 'agent' },
      ]);
      const [admin, agent] = stored;
      for (const { hash } of stored) expect(hash).toMatch(/^\$2[aby]\$10\$[./A-Za-z0-9]{53}$/);
      expect(await bcrypt.compare('admin-password-1', admin!.hash)).toBe(true);
      expect(await bcrypt.compare(generatedPassword, agent!.hash)).toBe(true);
      expect(await bcrypt.compare('admin-password-1', agent!.hash)).toBe(false);

      const second = await seedDatabase(db, accounts);
      expect(second).toEqual({ articles: 0, createdAccounts: [] });
      expect(await db.select({ n: count() }).from(kbDocuments)).toEqual([{ n: DEMO_ARTICLES }]);
      expect(await db.select({ n: count() }).from(kbChunks)).toEqual([{ n: expectedChunks }]);
      const afterSecond = await db
        .select({ email: users.email, role: users.role, hash: users.passwordHash })
        .from(users)
        .orderBy(asc(users.email));
      expect(afterSecond).toEqual(stored);

      // A demo article the admin deleted stays deleted when the next start seeds again.
      await db.delete(kbDocuments).where(eq(kbDocuments.slug, documents[0]!.slug));
      expect(await seedDatabase(db, accounts)).toEqual({ articles: 0, createdAccounts: [] });
      expect(await db.select({ n: count() }).from(kbDocuments)).toEqual([{ n: DEMO_ARTICLES - 1 }]);
    });

    it('returns the same generated secret every time, and a configured one as given', async () => {
      const generated = await loadOrCreateSecret(db);
      expect(generated).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await loadOrCreateSecret(db)).toBe(generated);

      const configured = 'c'.repeat(40);
      expect(await loadOrCreateSecret(db, configured)).toBe(configured);
      expect(await loadOrCreateSecret(db)).toBe(generated);
      expect(
        await db
          .select({ value: appSettings.value })
          .from(appSettings)
          .where(eq(appSettings.key, 'session-secret')),
      ).toEqual([{ value: generated }]);
    });

    it('re-indexes an article when it changes and leaves it untouched when it does not', async () => {
      const slug = uniqueSlug('upsert');
      const listChunks = (documentId: string) =>
        db
          .select({
            id: kbChunks.id,
            ordinal: kbChunks.ordinal,
            sectionPath: kbChunks.sectionPath,
            content: kbChunks.content,
          })
          .from(kbChunks)
          .where(eq(kbChunks.documentId, documentId))
          .orderBy(asc(kbChunks.ordinal));
      const withoutIds = (rows: Awaited<ReturnType<typeof listChunks>>) =>
        rows.map(({ id: _id, ...rest }) => rest);
      const expectedChunks = (body: string) =>
        chunkMarkdown(body).map((chunk, ordinal) => ({
          ordinal,
          sectionPath: chunk.sectionPath,
          content: chunk.content,
        }));

      const original = buildArticle(
        slug,
        'Track a parcel',
        '## Find the number\n\nIt is in your confirmation email.\n\n## Enter it\n\nPaste it on the tracking page.',
      );
      const created = await upsertArticle(db, original);
      expect(created.changed).toBe(true);
      expect(created.document).toMatchObject({
        slug,
        title: 'Track a parcel',
        category: 'testing',
        contentHash: original.contentHash,
      });
      const firstChunks = await listChunks(created.document.id);
      expect(withoutIds(firstChunks)).toEqual(expectedChunks(original.body));
      expect(firstChunks).toHaveLength(2);
      const versionAfterCreate = await getKnowledgeBaseVersion(db);

      const unchanged = await upsertArticle(db, original);
      expect(unchanged).toEqual({ document: created.document, changed: false });
      expect(await listChunks(created.document.id)).toEqual(firstChunks);
      expect(await getKnowledgeBaseVersion(db)).toBe(versionAfterCreate);

      // The version carries the newest update time to the millisecond.
      await sleep(5);
      const edited = buildArticle(
        slug,
        'Track a parcel',
        '## Find the number\n\nIt is in your confirmation email and in the app.\n\n## Enter it\n\nPaste it.\n\n## Still stuck?\n\nContact us.',
      );
      const updated = await upsertArticle(db, edited);
      expect(updated.changed).toBe(true);
      expect(updated.document.id).toBe(created.document.id);
      expect(updated.document.contentHash).toBe(edited.contentHash);
      expect(updated.document.content).toBe(edited.body);
      const secondChunks = await listChunks(created.document.id);
      expect(withoutIds(secondChunks)).toEqual(expectedChunks(edited.body));
      expect(secondChunks).toHaveLength(3);
      const previousIds = new Set(firstChunks.map((c) => c.id));
      expect(secondChunks.filter((c) => previousIds.has(c.id))).toEqual([]);
      const versionAfterEdit = await getKnowledgeBaseVersion(db);
      expect(versionAfterEdit).not.toBe(versionAfterCreate);
      expect(versionAfterEdit).toBe(
        `${versionAfterCreate.split(':')[0]}:${updated.document.updatedAt.valueOf()}`,
      );
    });

    it('deletes a document together with its chunks', async () => {
      const { document } = await upsertArticle(
        db,
        buildArticle(
          uniqueSlug('cascade'),
          'Returns',
          '## Start\n\nOpen your orders.\n\n## Ship\n\nDrop it off.',
        ),
      );
      const chunksOf = () =>
        db.select({ n: count() }).from(kbChunks).where(eq(kbChunks.documentId, document.id));
      expect(await chunksOf()).toEqual([{ n: 2 }]);
      const [before] = await db.select({ n: count() }).from(kbDocuments);
      const versionBefore = await getKnowledgeBaseVersion(db);

      await db.delete(kbDocuments).where(eq(kbDocuments.id, document.id));

      expect(await chunksOf()).toEqual([{ n: 0 }]);
      expect(await db.select({ n: count() }).from(kbDocuments)).toEqual([{ n: before!.n - 1 }]);
      expect(await getKnowledgeBaseVersion(db)).not.toBe(versionBefore);
    });

    it('opens a conversation with the first customer message, both in one transaction', async () => {
      const customer = await createAnonymousCustomer(db);
      const { conversation, message } = await recordCustomerMessage(db, {
        customerId: customer.id,
        content: 'Where is my parcel?',
        idempotencyKey: 'first',
      });
      expect(conversation).toMatchObject({
        customerId: customer.id,
        channel: 'widget',
        status: 'open',
        owner: 'ai',
      });
      expect(message).toMatchObject({
        conversationId: conversation.id,
        role: 'customer',
        content: 'Where is my parcel?',
        parts: [{ type: 'text', text: 'Where is my parcel?' }],
        metadata: {},
        idempotencyKey: 'first',
        authorId: null,
      });
      expect(await listMessages(db, conversation.id)).toEqual([message]);

      // The message insert fails after the conversation insert: neither may remain.
      const failed = await catchDatabaseError(
        recordCustomerMessage(db, { customerId: customer.id, content: null as never }),
      );
      expect(failed.code).toBe('23502');
      const owned = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.customerId, customer.id));
      expect(owned).toEqual([{ id: conversation.id }]);
    });

    it('lets only one of two simultaneous sends with the same idempotency key through', async () => {
      const customer = await createAnonymousCustomer(db);
      const { conversation } = await recordCustomerMessage(db, {
        customerId: customer.id,
        content: 'Hi',
      });
      const send = (content: string) =>
        recordCustomerMessage(db, {
          customerId: customer.id,
          conversationId: conversation.id,
          content,
          idempotencyKey: 'double-click',
        });

      const outcomes = await Promise.allSettled([send('Refund please'), send('Refund please')]);

      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const [rejected] = outcomes.filter((o) => o.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(TandemError);
      expect((rejected?.reason as TandemError | undefined)?.code).toBe('conflict:message');
      expect((await listMessages(db, conversation.id)).map((m) => m.content)).toEqual([
        'Hi',
        'Refund please',
      ]);
    });

    it('rejects a repeated idempotency key in a conversation with conflict:message, keeping one row', async () => {
      const customer = await createAnonymousCustomer(db);
      const first = await recordCustomerMessage(db, {
        customerId: customer.id,
        content: 'Hello',
        idempotencyKey: 'same-key',
      });
      const conversationId = first.conversation.id;

      const error = await catchTandemError(
        recordCustomerMessage(db, {
          customerId: customer.id,
          conversationId,
          content: 'Hello again',
          idempotencyKey: 'same-key',
        }),
      );
      expect(error.code).toBe('conflict:message');
      expect(error.status).toBe(409);
      expect((await listMessages(db, conversationId)).map((m) => m.content)).toEqual(['Hello']);
      const [afterConflict] = await db
        .select()
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(afterConflict?.lastMessageAt).toEqual(first.conversation.lastMessageAt);

      await recordCustomerMessage(db, {
        customerId: customer.id,
        conversationId,
        content: 'A new question',
        idempotencyKey: 'other-key',
      });
      const elsewhere = await recordCustomerMessage(db, {
        customerId: customer.id,
        content: 'Same key, other conversation',
        idempotencyKey: 'same-key',
      });
      expect(elsewhere.conversation.id).not.toBe(conversationId);
      expect((await listMessages(db, conversationId)).map((m) => m.content)).toEqual([
        'Hello',
        'A new question',
      ]);
    });

    it('refuses to add a message to a conversation that does not exist', async () => {
      const customer = await createAnonymousCustomer(db);
      const error = await catchTandemError(
        recordCustomerMessage(db, {
          customerId: customer.id,
          conversationId: randomUUID(),
          content: 'Anyone there?',
        }),
      );
      expect(error.code).toBe('not_found:conversation');
    });

    it('gives a conversation only to its customer: not_found for unknown ids, forbidden for others', async () => {
      const owner = await createAnonymousCustomer(db);
      const stranger = await createAnonymousCustomer(db);
      const { conversation } = await recordCustomerMessage(db, {
        customerId: owner.id,
        content: 'My order is late',
      });

      expect(await getCustomerConversationOrThrow(db, conversation.id, owner.id)).toMatchObject({
        id: conversation.id,
        customerId: owner.id,
      });
      const unknown = await catchTandemError(
        getCustomerConversationOrThrow(db, randomUUID(), owner.id),
      );
      expect([unknown.code, unknown.status]).toEqual(['not_found:conversation', 404]);
      const foreign = await catchTandemError(
        getCustomerConversationOrThrow(db, conversation.id, stranger.id),
      );
      expect([foreign.code, foreign.status]).toEqual(['forbidden:conversation', 403]);
      const anonymous = await catchTandemError(
        getCustomerConversationOrThrow(db, conversation.id, null),
      );
      expect(anonymous.code).toBe('forbidden:conversation');
    });

    it('stores an AI answer with its citations as JSON that reads back unchanged', async () => {
      const customer = await createAnonymousCustomer(db);
      const { conversation } = await recordCustomerMessage(db, {
        customerId: customer.id,
        content: 'How do refunds work?',
      });
      const metadata: MessageMetadata = {
        citations: [
          {
            documentId: randomUUID(),
            slug: 'refunds',
            title: 'Refunds & returns — “quoted”',
            section: 'Refunds › How long it takes',
          },
          { documentId: randomUUID(), slug: 'shipping', title: 'Shipping' },
        ],
        abstained: false,
        confidence: 0.82,
        model: 'offline',
        tools: [
          {
            tool: 'create_ticket',
            input: { subject: 'Refund' },
            output: { ticket: 'TKT-1001', tags: ['refund', null, 3] },
          },
        ],
      };
      const parts = [{ type: 'text', text: 'Refunds take 5–7 days. 💸' }];
      const id = randomUUID();

      const stored = await recordAiMessage(db, {
        id,
        conversationId: conversation.id,
        content: 'Refunds take 5–7 days. 💸',
        parts,
        metadata,
      });

      expect(stored).toMatchObject({ id, role: 'ai', metadata, parts });
      const [readBack] = (await listMessages(db, conversation.id)).filter((m) => m.id === id);
      expect(readBack?.metadata).toEqual(metadata);
      expect(readBack?.parts).toEqual(parts);
      const raw = await queryRows(
        db,
        sql`select jsonb_typeof(${messages.metadata}) as type,
                   ${messages.metadata}->'citations'->0->>'section' as section,
                   (${messages.metadata}->>'confidence')::float8 as confidence
            from ${messages} where ${messages.id} = ${id}`,
      );
      expect(raw).toEqual([
        { type: 'object', section: 'Refunds › How long it takes', confidence: 0.82 },
      ]);
      const [after] = await db
        .select({ lastMessageAt: conversations.lastMessageAt })
        .from(conversations)
        .where(eq(conversations.id, conversation.id));
      expect(after!.lastMessageAt.valueOf()).toBeGreaterThanOrEqual(
        conversation.lastMessageAt.valueOf(),
      );
    });

    it('numbers tickets 1001, 1002, 1003 with open/medium defaults and rejects unknown enum values', async () => {
      const customer = await createAnonymousCustomer(db);
      const created = [];
      for (const subject of ['First', 'Second', 'Third']) {
        const [ticket] = await db
          .insert(tickets)
          .values({ customerId: customer.id, subject, description: `${subject} problem` })
          .returning({
            number: tickets.number,
            status: tickets.status,
            priority: tickets.priority,
          });
        created.push(ticket);
      }
      expect(created).toEqual([
        { number: 1001, status: 'open', priority: 'medium' },
        { number: 1002, status: 'open', priority: 'medium' },
        { number: 1003, status: 'open', priority: 'medium' },
      ]);

      const badStatus = await catchDatabaseError(
        db.insert(tickets).values({
          customerId: customer.id,
          subject: 'Bad',
          description: 'Bad status',
          status: 'escalated' as never,
        }),
      );
      expect(badStatus.code).toBe('22P02');
      expect(badStatus.message).toContain(
        'invalid input value for enum ticket_status: "escalated"',
      );
      const badPriority = await catchDatabaseError(
        db.insert(tickets).values({
          customerId: customer.id,
          subject: 'Bad',
          description: 'Bad priority',
          priority: 'critical' as never,
        }),
      );
      expect(badPriority.code).toBe('22P02');
      expect(badPriority.message).toContain('invalid input value for enum priority: "critical"');
      expect(
        await db.select({ n: count() }).from(tickets).where(eq(tickets.customerId, customer.id)),
      ).toEqual([{ n: 3 }]);
    });

    it('stamps a new conversation with one creation time and no escalation or resolution', async () => {
      const customer = await createAnonymousCustomer(db);
      const before = Date.now();
      const [conversation] = await db
        .insert(conversations)
        .values({ customerId: customer.id })
        .returning();
      const after = Date.now();

      expect(conversation).toMatchObject({
        channel: 'widget',
        status: 'open',
        owner: 'ai',
        assignedAgentId: null,
        priority: null,
        escalatedAt: null,
        resolvedAt: null,
      });
      const { createdAt, updatedAt, lastMessageAt } = conversation!;
      expect(createdAt).toBeInstanceOf(Date);
      expect(updatedAt).toEqual(createdAt);
      expect(lastMessageAt).toEqual(createdAt);
      // The server's clock, read in the same statement; a second of slack for clock skew.
      expect(createdAt.valueOf()).toBeGreaterThanOrEqual(before - 1_000);
      expect(createdAt.valueOf()).toBeLessThanOrEqual(after + 1_000);

      const [resolved] = await db
        .update(conversations)
        .set({ status: 'resolved', resolvedAt: new Date() })
        .where(eq(conversations.id, conversation!.id))
        .returning();
      expect(resolved!.createdAt).toEqual(createdAt);
      expect(resolved!.updatedAt.valueOf()).toBeGreaterThanOrEqual(after);
      expect(resolved!.updatedAt.valueOf()).toBeLessThanOrEqual(Date.now());
      expect(resolved!.resolvedAt).toBeInstanceOf(Date);
    });

    if (dropServerConnections) {
      it('keeps answering after the server drops its pooled connections', async () => {
        await Promise.all([handle.ping(), handle.ping(), handle.ping()]);
        expect(await dropServerConnections()).toBeGreaterThan(0);
        // Lets the termination notices reach the idle clients before the pool is used again.
        await sleep(200);
        await expect(handle.ping()).resolves.toBeUndefined();
        const customer = await createAnonymousCustomer(db);
        const { conversation } = await recordCustomerMessage(db, {
          customerId: customer.id,
          content: 'Still there?',
        });
        expect((await listMessages(db, conversation.id)).map((m) => m.content)).toEqual([
          'Still there?',
        ]);
      });
    }
  });
}
