import type { Database } from '@/db/client';
import { hasExpired, listConversationCalls } from '@/lib/actions/calls';
import { actionLabels } from '@/lib/actions/queries';

/**
 * A conversation's action calls as the console's context panel shows them, newest first: what
 * was asked, where it stands, and what came of it. The request itself (its headers hold
 * credentials, masked or not) stays with the admin's tools.
 */
export async function consoleActionCalls(db: Database, conversationId: string) {
  const [calls, labels] = await Promise.all([
    listConversationCalls(db, conversationId),
    actionLabels(db),
  ]);
  return calls.map((call) => ({
    id: call.id,
    action: call.actionName,
    /** The action's name for people and purpose, as the admin wrote them (if it still exists). */
    label: labels.get(call.actionName)?.label ?? call.actionName,
    description: labels.get(call.actionName)?.description ?? null,
    summary: call.summary,
    // A lapsed wait shows as what it is, before anything touches (and so expires) it.
    status: hasExpired(call) ? ('expired' as const) : call.status,
    error: call.error,
    responseStatus: call.response?.status ?? null,
    createdAt: call.createdAt.toISOString(),
    decidedAt: call.decidedAt?.toISOString() ?? null,
    finishedAt: call.finishedAt?.toISOString() ?? null,
  }));
}

export type ConsoleActionCall = Awaited<ReturnType<typeof consoleActionCalls>>[number];
