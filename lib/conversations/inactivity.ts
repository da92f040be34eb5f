import { and, asc, eq, gte, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, messages } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import type { InactivitySettings } from '@/lib/settings/schema';
import { announceTransition, transition } from './lifecycle';

/*
 * The inactivity policy: a customer who goes quiet after the assistant's answer, while the
 * assistant has the conversation, is asked whether they are still there, and the conversation is
 * resolved if they stay quiet. Quiet is judged from the outcome facts the database keeps
 * (`last_speaker`, `last_spoken_at`): system messages, the question included, do not count as
 * speaking. Conversations waiting for or held by a person are never touched.
 */

/** The question as stored; the widget shows it in the customer's language. */
export const STILL_THERE_TEXT =
  'Are you still there? Reply here if there is anything else; otherwise this conversation will be closed.';

/**
 * How late the question may still be asked: a conversation the policy missed for longer (the
 * worker was down, or the policy was just turned on) is resolved without it.
 */
export const ASK_WINDOW_SECONDS = 3600;

const SECOND_MS = 1000;
const BATCH = 200;

export interface InactivityRun {
  asked: number;
  resolved: number;
}

type Quiet = { id: string; lastSpokenAt: Date };

/** The assistant answered last and the conversation is still with it. */
const QUIET_WITH_AI = and(
  eq(conversations.status, 'open'),
  eq(conversations.owner, 'ai'),
  eq(conversations.lastSpeaker, 'ai'),
);
/** Asked since the assistant last spoke, so the question is pending. */
const ASKED = gte(conversations.inactivityAskedAt, conversations.lastSpokenAt);
const NOT_ASKED = or(
  isNull(conversations.inactivityAskedAt),
  lt(conversations.inactivityAskedAt, conversations.lastSpokenAt),
);

const secondsBefore = (now: Date, seconds: number) => new Date(now.getTime() - seconds * SECOND_MS);

/** Seconds under two minutes, whole minutes beyond: how the resolution message says it. */
function quietSecondsBetween(from: Date, to: Date): number {
  const seconds = Math.max(1, Math.round((to.getTime() - from.getTime()) / SECOND_MS));
  return seconds < 120 ? seconds : Math.round(seconds / 60) * 60;
}

/** Conversations quiet for the question to be asked now. */
function dueForQuestion(settings: InactivitySettings, now: Date): SQL | undefined {
  if (!settings.ask.enabled) return undefined;
  const after = settings.ask.afterSeconds;
  return and(
    QUIET_WITH_AI,
    NOT_ASKED,
    lte(conversations.lastSpokenAt, secondsBefore(now, after)),
    gte(conversations.lastSpokenAt, secondsBefore(now, after + ASK_WINDOW_SECONDS)),
  );
}

/**
 * Conversations quiet for long enough to resolve now: `resolve.afterSeconds` after the question,
 * or — not asked — after the answer (past the question's window when the question is on).
 */
function dueForResolution(settings: InactivitySettings, now: Date): SQL | undefined {
  if (!settings.resolve.enabled) return undefined;
  const after = settings.resolve.afterSeconds;
  const unaskedAfter = settings.ask.enabled
    ? settings.ask.afterSeconds + Math.max(after, ASK_WINDOW_SECONDS)
    : after;
  return and(
    QUIET_WITH_AI,
    or(
      and(ASKED, lte(conversations.inactivityAskedAt, secondsBefore(now, after))),
      and(NOT_ASKED, lte(conversations.lastSpokenAt, secondsBefore(now, unaskedAfter))),
    ),
  );
}

async function findQuiet(db: Database, where: SQL | undefined): Promise<Quiet[]> {
  if (!where) return [];
  const rows = await db
    .select({ id: conversations.id, lastSpokenAt: conversations.lastSpokenAt })
    .from(conversations)
    .where(where)
    .orderBy(asc(conversations.lastSpokenAt))
    .limit(BATCH);
  return rows.flatMap((r) => (r.lastSpokenAt ? [{ id: r.id, lastSpokenAt: r.lastSpokenAt }] : []));
}

/**
 * The conversation, locked, if it is still as quiet as when it was found: a customer who wrote
 * in between (or a person who took it) keeps it going.
 */
async function lockIfStillQuiet(tx: Database, quiet: Quiet) {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.id, quiet.id),
        QUIET_WITH_AI,
        // Nobody spoke since (the database keeps microseconds, a Date milliseconds).
        lt(conversations.lastSpokenAt, new Date(quiet.lastSpokenAt.getTime() + 1)),
      ),
    )
    .for('update');
  return row ?? null;
}

/** Asks the customer whether they are still there; false when they wrote in the meantime. */
async function askStillThere(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  quiet: Quiet,
  now: Date,
): Promise<boolean> {
  const asked = await ctx.database.db.transaction(async (tx) => {
    if (!(await lockIfStillQuiet(tx, quiet))) return null;
    await tx
      .update(conversations)
      .set({ inactivityAskedAt: now })
      .where(eq(conversations.id, quiet.id));
    const [message] = await tx
      .insert(messages)
      .values({
        conversationId: quiet.id,
        role: 'system',
        content: STILL_THERE_TEXT,
        metadata: { event: 'inactivity_check' },
      })
      .returning();
    return message!;
  });
  if (!asked) return false;
  void publishConversationEvent(ctx, quiet.id, {
    type: 'message.created',
    message: toLiveMessage(asked),
  });
  return true;
}

/** Resolves a conversation whose customer stayed quiet; false when they wrote in the meantime. */
async function resolveQuiet(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  quiet: Quiet,
  now: Date,
): Promise<boolean> {
  const result = await ctx.database.db.transaction(async (tx) => {
    if (!(await lockIfStillQuiet(tx, quiet))) return null;
    return transition(tx, quiet.id, {
      type: 'resolve_inactive',
      quietSeconds: quietSecondsBetween(quiet.lastSpokenAt, now),
    });
  });
  if (!result) return false;
  announceTransition(ctx, quiet.id, result);
  return true;
}

/**
 * One pass of the policy at `now`: the question for conversations quiet long enough, and
 * resolution for those that stayed quiet after it. At most a batch of each per pass; the
 * oldest first, so a backlog clears over the next passes.
 */
export async function applyInactivityPolicy(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  settings: InactivitySettings,
  { now = new Date() }: { now?: Date } = {},
): Promise<InactivityRun> {
  const { db } = ctx.database;
  // Resolution first: a conversation asked in this pass must get its full time to answer.
  let resolved = 0;
  for (const quiet of await findQuiet(db, dueForResolution(settings, now))) {
    if (await resolveQuiet(ctx, quiet, now)) resolved++;
  }
  let asked = 0;
  for (const quiet of await findQuiet(db, dueForQuestion(settings, now))) {
    if (await askStillThere(ctx, quiet, now)) asked++;
  }
  return { asked, resolved };
}
