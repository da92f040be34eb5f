import type { Database } from '@/db/client';
import type { Priority } from '@/lib/classify/schema';
import type { KnowledgeBase } from '@/lib/kb/types';

/**
 * What a tool may act on: the one customer and conversation of this turn. Tools close over it,
 * so whatever ids a model puts in a call, it can only reach this customer's own data.
 */
export interface ToolContext {
  db: Database;
  kb: KnowledgeBase;
  customerId: string;
  conversationId: string;
  priority: Priority;
  /** Hands the conversation to a person; returns what the customer is told. */
  escalate(reason: string): Promise<{ explanation: string }>;
}
