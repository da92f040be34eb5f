import { desc } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog } from '@/db/schema';

export type Actor =
  | { type: 'staff'; id: string; name: string }
  | { type: 'api'; id: string; name: string }
  | { type: 'system'; name: string };

/** Records who did what to which subject. Never holds message text. */
export async function audit(
  db: Database,
  actor: Actor,
  action: string,
  subject?: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({
    actorType: actor.type,
    actorId: 'id' in actor ? actor.id : null,
    actorName: actor.name,
    action,
    subjectType: subject?.type ?? null,
    subjectId: subject?.id ?? null,
    details,
  });
}

export function listAudit(db: Database, limit = 200) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(limit);
}
