import type { Database } from '@/db/client';
import { listConversationCalls } from '@/lib/actions/calls';

/**
 * A conversation's action calls as the console's context panel shows them, newest first: what
 * was asked, where it stands, and what came of it. The request itself (its headers hold
 * credentials, masked or not) stays with the admin's tools.
 */
export async function consoleActionCalls(db: Database, conversationId: string) {
  const calls = await listConversationCalls(db, conversationId);
  return calls.map((call) => ({
    id: call.id,
    action: call.actionName,
    summary: call.summary,
    status: call.status,
    error: call.error,
    responseStatus: call.response?.status ?? null,
    createdAt: call.createdAt.toISOString(),
    decidedAt: call.decidedAt?.toISOString() ?? null,
    finishedAt: call.finishedAt?.toISOString() ?? null,
  }));
}

export type ConsoleActionCall = Awaited<ReturnType<typeof consoleActionCalls>>[number];
