import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { searchCustomers } from '@/lib/analytics/customer-insights';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { openTestDatabase } from '../harness/database';

let db: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await upsertCustomerByExternalId(db, {
    externalId: 'site-42',
    name: 'Zoë 👩‍💻 Example',
    email: 'zoe@example.com',
  });
});
afterAll(() => close());

describe('finding a customer by any text an admin can type or a URL can carry', () => {
  it('finds nobody, rather than failing, for text no stored value can contain', async () => {
    // The admin page passes ?q= straight through: %00 arrives as U+0000, which PostgreSQL refuses.
    for (const query of ['\u0000', 'zoe\u0000', 'zo\uD800e', '\uDC00']) {
      expect(await searchCustomers(db, query)).toEqual([]);
    }
  });

  it('still finds customers by names with emoji and accents', async () => {
    const [found] = await searchCustomers(db, 'Zoë 👩‍💻');
    expect(found).toMatchObject({ externalId: 'site-42' });
  });
});
