import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import type { Customer } from './queries';

/**
 * Identity verification, as Intercom does it: the site signs its own user id with the desk's
 * identity secret on its server, so a visitor cannot claim to be another customer.
 */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', `identity:${secret}`).update(userId).digest('hex');
}

export function isVerifiedIdentity(secret: string, userId: string, hash: string): boolean {
  const expected = Buffer.from(identityHash(secret, userId));
  const given = Buffer.from(hash);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The customer a verified site user is, created on first sight; their details kept current. */
export async function identifyCustomer(
  db: Database,
  secret: string,
  input: {
    userId: string;
    userHash: string;
    name?: string;
    email?: string;
    context?: Record<string, unknown>;
  },
): Promise<Customer> {
  if (!isVerifiedIdentity(secret, input.userId, input.userHash)) {
    throw new TandemError(
      'forbidden:identity',
      'The identity signature does not match this user id.',
    );
  }
  const details = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.context ? { context: input.context } : {}),
  };
  const [created] = await db
    .insert(customers)
    .values({ externalId: input.userId, ...details })
    .onConflictDoNothing({ target: customers.externalId })
    .returning();
  if (created) return created;
  const [existing] = Object.keys(details).length
    ? await db
        .update(customers)
        .set(details)
        .where(eq(customers.externalId, input.userId))
        .returning()
    : await db.select().from(customers).where(eq(customers.externalId, input.userId));
  return existing!;
}
