import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { cannedResponses } from '@/db/schema';
import { TandemError } from '@/lib/errors';

export type CannedResponse = typeof cannedResponses.$inferSelect;

/** Shortcuts are typed after "/" in the reply box: lowercase letters, digits and dashes. */
export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const listCannedResponses = (db: Database) =>
  db.select().from(cannedResponses).orderBy(asc(cannedResponses.shortcut));

export async function createCannedResponse(
  db: Database,
  input: { shortcut: string; title: string; content: string },
): Promise<CannedResponse> {
  const [created] = await db
    .insert(cannedResponses)
    .values(input)
    .onConflictDoNothing({ target: cannedResponses.shortcut })
    .returning();
  if (!created) {
    throw new TandemError('conflict:canned_response', `The shortcut /${input.shortcut} is taken.`);
  }
  return created;
}

export async function updateCannedResponse(
  db: Database,
  id: string,
  changes: { shortcut?: string; title?: string; content?: string },
): Promise<CannedResponse> {
  try {
    const [updated] = await db
      .update(cannedResponses)
      .set(changes)
      .where(eq(cannedResponses.id, id))
      .returning();
    if (!updated)
      throw new TandemError('not_found:canned_response', 'No canned response has that id.');
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new TandemError(
        'conflict:canned_response',
        `The shortcut /${changes.shortcut} is taken.`,
      );
    }
    throw error;
  }
}

export async function deleteCannedResponse(db: Database, id: string): Promise<void> {
  const deleted = await db
    .delete(cannedResponses)
    .where(eq(cannedResponses.id, id))
    .returning({ id: cannedResponses.id });
  if (deleted.length === 0) {
    throw new TandemError('not_found:canned_response', 'No canned response has that id.');
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/** What a fresh workspace starts with; admins edit or delete them. */
export const DEFAULT_CANNED_RESPONSES = [
  {
    shortcut: 'hello',
    title: 'Greeting',
    content: "Hi, thanks for waiting — I'm here now and I've read the conversation so far.",
  },
  {
    shortcut: 'checking',
    title: 'Looking into it',
    content: "Thanks, let me look into this for you. It'll take a couple of minutes.",
  },
  {
    shortcut: 'anything-else',
    title: 'Anything else',
    content: 'Is there anything else I can help you with today?',
  },
  {
    shortcut: 'bye',
    title: 'Closing',
    content:
      "Glad I could help! I'll close this conversation now — just write here if anything else comes up.",
  },
];
