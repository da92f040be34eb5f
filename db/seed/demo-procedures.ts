import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { publishProcedure, saveDraft } from '@/lib/procedures/store';
import type { Database } from '../client';
import { appSettings } from '../schema';

/*
 * The demo shop's procedures (content/demo/procedures.json), saved and published through the
 * procedures module as an admin's would be, once per database: an admin's later edits stay.
 */

const DEMO_PROCEDURES_SEEDED = 'seeded:demo-procedures';
export const demoProceduresFile = path.join(process.cwd(), 'content', 'demo', 'procedures.json');

export async function seedDemoProcedures(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(appSettings)
      .values({ key: DEMO_PROCEDURES_SEEDED, value: sql`to_jsonb(now())` })
      .onConflictDoNothing({ target: appSettings.key })
      .returning({ key: appSettings.key });
    if (!claimed) return false;
    const file = z
      .object({ procedures: z.array(z.unknown()) })
      .parse(JSON.parse(await readFile(demoProceduresFile, 'utf8')));
    for (const procedure of file.procedures) {
      const draft = await saveDraft(tx, procedure);
      // One an admin already published under this name is theirs.
      if (draft.status !== 'published') await publishProcedure(tx, draft.id);
    }
    return true;
  });
}
