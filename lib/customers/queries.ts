import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers } from '@/db/schema';

export type Customer = typeof customers.$inferSelect;

export async function findCustomer(db: Database, id: string): Promise<Customer | null> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  return customer ?? null;
}

export async function createAnonymousCustomer(db: Database): Promise<Customer> {
  const [customer] = await db.insert(customers).values({}).returning();
  if (!customer) throw new Error('Could not create a customer');
  return customer;
}
