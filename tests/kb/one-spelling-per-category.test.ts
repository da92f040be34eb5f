import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbDocuments } from '@/db/schema';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let ctx: TestDatabaseContext;
beforeAll(async () => {
  ctx = await openTestDatabase();
});
afterAll(() => ctx.close());

const document = (slug: string, category: string | null) => ({
  slug,
  title: slug,
  category,
  content: 'text',
  contentHash: slug,
});

describe('migration 0018: one spelling per category', () => {
  it('files articles saved under another spelling under the taxonomy key, leaving the rest', async () => {
    await ctx.db
      .insert(kbDocuments)
      .values([
        document('kebab', 'orders-shipping'),
        document('spaced', ' Orders Shipping '),
        document('keyed', 'orders_shipping'),
        document('filed-nowhere', null),
      ]);
    const migration = await readFile('db/migrations/0018_one_spelling_per_category.sql', 'utf8');
    for (const statement of migration.split('--> statement-breakpoint')) {
      await ctx.db.execute(sql.raw(statement));
    }
    const rows = await ctx.db
      .select({ slug: kbDocuments.slug, category: kbDocuments.category })
      .from(kbDocuments);
    expect(Object.fromEntries(rows.map((r) => [r.slug, r.category]))).toEqual({
      kebab: 'orders_shipping',
      spaced: 'orders_shipping',
      keyed: 'orders_shipping',
      'filed-nowhere': null,
    });
  });

  it('leaves the demo help center with a single spelling of each category', async () => {
    const { readdir } = await import('node:fs/promises');
    const categories = new Set<string>();
    for (const file of await readdir('content/kb')) {
      const match = /^category:\s*(.+)$/m.exec(await readFile(`content/kb/${file}`, 'utf8'));
      if (match) categories.add(match[1]!.trim());
    }
    expect([...categories].filter((c) => !/^[a-z][a-z0-9_]*$/.test(c))).toEqual([]);
  });
});
