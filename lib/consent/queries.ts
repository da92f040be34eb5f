import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, customers } from '@/db/schema';
import type { Customer } from '@/lib/customers/queries';

export type ConsentDecision = 'granted' | 'declined';

/** Stores the customer's answer with when it was given and which notice it answered. */
export async function recordConsent(
  db: Database,
  input: { customerId: string; decision: ConsentDecision; version: string; at?: Date },
): Promise<Customer> {
  const [customer] = await db
    .update(customers)
    .set({
      consent: input.decision,
      consentAt: input.at ?? new Date(),
      consentVersion: input.version,
    })
    .where(eq(customers.id, input.customerId))
    .returning();
  if (!customer) throw new Error(`No customer ${input.customerId} to record consent for`);
  return customer;
}

/** Whether the customer of this conversation declined AI processing. */
export async function conversationCustomerDeclined(
  db: Database,
  conversationId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ consent: customers.consent })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.id, conversationId));
  return row?.consent === 'declined';
}
