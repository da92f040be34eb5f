import type { UIMessageChunk } from 'ai';
import { eq } from 'drizzle-orm';
import { actionCalls, demoOrders } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import type { ConfirmationRequest } from '@/lib/conversations/chat-message';
import { createAnonymousCustomer, upsertCustomerByExternalId } from '@/lib/customers/queries';
import { serveDemoShop } from '../demo-shop/serve-demo-shop';
import { startServedTestApp } from '../harness/app';
import { askTurn } from '../harness/customer-turn';

/**
 * A desk with the demo content, whose demo actions call its demo shop over real HTTP (the shop's
 * route handlers served on 127.0.0.1, allowed for actions as the demo's own host would be).
 */
export async function startActionsDesk(env: Record<string, string> = {}) {
  const shop = await serveDemoShop();
  const { app, stop } = await startServedTestApp({
    NEXTAUTH_URL: shop.url,
    TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1',
    ...env,
  });
  return {
    app,
    shop,
    async stop() {
      await shop.close();
      await stop();
    },
  };
}

/** A demo customer as a signed-in site user, or a new anonymous visitor. */
export async function customer(app: AppContext, who: 'demo-alice' | 'demo-ben' | 'anonymous') {
  const { db } = app.database;
  return who === 'anonymous'
    ? createAnonymousCustomer(db)
    : upsertCustomerByExternalId(db, { externalId: who });
}

type Customer = Awaited<ReturnType<typeof customer>>;

export interface Said {
  conversationId: string;
  /** The reply as the widget received it. */
  text: string;
  chunks: UIMessageChunk[];
  confirmations: ConfirmationRequest[];
  tools: string[];
}

/** One customer message through the whole turn, read as the widget reads it. */
export async function say(
  app: AppContext,
  who: Customer,
  text: string,
  conversationId?: string,
): Promise<Said> {
  const turn = await askTurn(app, { customer: who, text, conversationId });
  const chunks: UIMessageChunk[] = [];
  const reader = turn.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value as UIMessageChunk);
  }
  await turn.answer;
  return {
    conversationId: turn.conversationId,
    text: chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join(''),
    chunks,
    confirmations: chunks.flatMap((c) =>
      c.type === 'data-confirmation' ? [c.data as ConfirmationRequest] : [],
    ),
    tools: chunks.flatMap((c) => (c.type === 'tool-input-available' ? [c.toolName] : [])),
  };
}

export async function callsIn(app: AppContext, conversationId: string) {
  return app.database.db
    .select()
    .from(actionCalls)
    .where(eq(actionCalls.conversationId, conversationId));
}

/** A demo order as the demo shop holds it now. */
export async function shopOrder(app: AppContext, number: string) {
  const [row] = await app.database.db
    .select()
    .from(demoOrders)
    .where(eq(demoOrders.number, number));
  if (!row) throw new Error(`No demo order ${number}`);
  return row;
}
