import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customerAccounts } from '@/db/schema';

export type CustomerAccount = typeof customerAccounts.$inferSelect;

export async function findCustomerAccount(
  db: Database,
  customerId: string,
): Promise<CustomerAccount | null> {
  const [account] = await db
    .select()
    .from(customerAccounts)
    .where(eq(customerAccounts.customerId, customerId));
  return account ?? null;
}
