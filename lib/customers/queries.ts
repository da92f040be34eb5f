import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers } from '@/db/schema';
import { TandemError } from '@/lib/errors';

export type Customer = typeof customers.$inferSelect;

/** What staff see of a customer: who they are and what they and the site told us, no secrets. */
export function customerFacts(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    externalId: customer.externalId,
    language: customer.language,
    profile: customer.profile,
    context: customer.context,
  };
}

export async function findCustomer(db: Database, id: string): Promise<Customer | null> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  return customer ?? null;
}

export async function createAnonymousCustomer(db: Database): Promise<Customer> {
  const [customer] = await db.insert(customers).values({}).returning();
  if (!customer) throw new Error('Could not create a customer');
  return customer;
}

/** The customer a site knows by its own id, created on first sight; the details given kept current. */
export async function upsertCustomerByExternalId(
  db: Database,
  input: {
    externalId: string;
    name?: string;
    email?: string;
    language?: string;
    context?: Record<string, unknown>;
  },
): Promise<Customer> {
  const details = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(input.context ? { context: input.context } : {}),
  };
  const [created] = await db
    .insert(customers)
    .values({ externalId: input.externalId, ...details })
    .onConflictDoNothing({ target: customers.externalId })
    .returning();
  if (created) return created;
  const [existing] = Object.keys(details).length
    ? await db
        .update(customers)
        .set(details)
        .where(eq(customers.externalId, input.externalId))
        .returning()
    : await db.select().from(customers).where(eq(customers.externalId, input.externalId));
  return existing!;
}

/** The customer a site knows by its own id; a 404 when there is none. */
export async function getCustomerByExternalIdOrThrow(
  db: Database,
  externalId: string,
): Promise<Customer> {
  const [customer] = await db.select().from(customers).where(eq(customers.externalId, externalId));
  if (!customer) throw new TandemError('not_found:customer', 'No customer has that id.');
  return customer;
}

/**
 * The address the customer asked the team to reply to. A site's signed-in customer keeps the email
 * the site gave; an anonymous visitor's latest answer wins.
 */
export async function setContactEmail(
  db: Database,
  customer: Customer,
  email: string,
): Promise<Customer> {
  if (customer.externalId && customer.email) return customer;
  const [updated] = await db
    .update(customers)
    .set({ email: email.toLowerCase() })
    .where(eq(customers.id, customer.id))
    .returning();
  return updated ?? customer;
}
