import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '@/db/client';
import { TandemError } from '@/lib/errors';
import { type Customer, upsertCustomerByExternalId } from './queries';

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
  return upsertCustomerByExternalId(db, {
    externalId: input.userId,
    name: input.name,
    email: input.email,
    context: input.context,
  });
}
