import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { TandemError } from '@/lib/errors';

export const API_SCOPES = ['read', 'write', 'agent', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiCaller {
  keyId: string;
  name: string;
  scopes: ApiScope[];
  rateLimitPerMinute: number;
}

export type ApiKeySummary = Omit<typeof apiKeys.$inferSelect, 'secretHash'>;

const KEY = /^(tdm_[a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function newKey() {
  const prefix = `tdm_${randomBytes(8).toString('hex').slice(0, 10)}`;
  const secret = randomBytes(32).toString('base64url');
  return { prefix, secret, key: `${prefix}_${secret}` };
}

/** Creates a key; the returned `key` is the only time the secret is ever available. */
export async function createApiKey(
  db: Database,
  input: { name: string; scopes: ApiScope[]; rateLimitPerMinute?: number; createdBy?: string },
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const { prefix, secret, key } = newKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      prefix,
      secretHash: hashSecret(secret),
      scopes: [...new Set(input.scopes)],
      rateLimitPerMinute: input.rateLimitPerMinute,
      createdBy: input.createdBy,
    })
    .returning();
  const { secretHash: _, ...apiKey } = row!;
  return { key, apiKey };
}

export async function listApiKeys(db: Database): Promise<ApiKeySummary[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(({ secretHash: _, ...rest }) => rest);
}

/** Revokes a key at once; requests with it get 401 from then on. */
export async function revokeApiKey(db: Database, id: string): Promise<void> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw new TandemError('not_found:api_key', 'No active API key has that id.');
}

/** A new secret for the same key (name, scopes, limits); the old secret stops working. */
export async function rotateApiKey(db: Database, id: string): Promise<{ key: string }> {
  const { prefix, secret, key } = newKey();
  const [row] = await db
    .update(apiKeys)
    .set({ prefix, secretHash: hashSecret(secret) })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw new TandemError('not_found:api_key', 'No active API key has that id.');
  return { key };
}

/** The caller behind an `Authorization: Bearer <key>` header, or a 401 error. */
export async function authenticateApiKey(
  db: Database,
  authorization: string | null,
): Promise<ApiCaller> {
  const token = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token) {
    throw new TandemError(
      'unauthorized:api',
      'Send your API key as "Authorization: Bearer <key>".',
    );
  }
  const parts = KEY.exec(token);
  const [row] = parts
    ? await db.select().from(apiKeys).where(eq(apiKeys.prefix, parts[1]!))
    : [undefined];
  const expected = Buffer.from(row?.secretHash ?? hashSecret('no key'), 'hex');
  const given = Buffer.from(hashSecret(parts?.[2] ?? ''), 'hex');
  if (!row || row.revokedAt || !timingSafeEqual(expected, given)) {
    throw new TandemError('unauthorized:api', 'That API key is not valid (or was revoked).');
  }
  void db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(eq(apiKeys.id, row.id))
    .catch(() => {});
  return {
    keyId: row.id,
    name: row.name,
    scopes: row.scopes as ApiScope[],
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
}

/** Admin implies every scope; agent implies write; write implies read. */
export function requireScope(caller: ApiCaller, scope: ApiScope): void {
  const implied: Record<ApiScope, ApiScope[]> = {
    read: ['read', 'write', 'agent', 'admin'],
    write: ['write', 'agent', 'admin'],
    agent: ['agent', 'admin'],
    admin: ['admin'],
  };
  if (!caller.scopes.some((s) => implied[scope].includes(s))) {
    throw new TandemError('forbidden:api', `This key lacks the "${scope}" scope.`);
  }
}
