import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';

/**
 * Jobs by status, or null while this database has no `jobs` table (the job system is optional to
 * this module: metrics must not fail on a database that predates it).
 */
export async function countJobsByStatus(
  db: Database,
): Promise<{ status: string; count: number }[] | null> {
  const exists = await db.execute(sql`select to_regclass('jobs') is not null as present`);
  if (!rowsOf<{ present: boolean }>(exists)[0]?.present) return null;
  const counts = await db.execute(
    sql`select status, count(*)::int as count from jobs group by status`,
  );
  return rowsOf<{ status: string; count: number | string }>(counts).map((r) => ({
    status: String(r.status),
    count: Number(r.count),
  }));
}
