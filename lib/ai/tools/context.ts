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
  /**
   * Whether the site vouched for who this customer is (a signed identity, or an API caller naming
   * them): tools declared for verified customers only refuse otherwise, without running.
   */
  verified: boolean;
  priority: Priority;
  /** Hands the conversation to a person; returns what the customer is told. */
  escalate(reason: string): Promise<{ explanation: string }>;
}
