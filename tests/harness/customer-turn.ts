import { turnUIMessageStream } from '@/app/api/turn-stream';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { runTurn, type TurnRequest } from '@/lib/turn/turn';

/** A customer turn, with its events as the UI message stream the widget reads. */
export async function askTurn(ctx: AppContext, request: TurnRequest) {
  const turn = await runTurn(ctx, request);
  return { ...turn, stream: turnUIMessageStream(turn) };
}

/** A customer's message read to its end: the answer stored and any hand-off done. */
export async function say(
  ctx: AppContext,
  customerId: string,
  text: string,
  conversationId?: string,
) {
  const customer = (await findCustomer(ctx.database.db, customerId))!;
  const result = await askTurn(ctx, { customer, conversationId, text });
  const reader = result.stream.getReader();
  while (!(await reader.read()).done);
  return result;
}

/**
 * A new customer's conversation of these messages, in order; `between` runs after each one (an
 * agent taking over, say). Returns the conversation and each message's classification.
 */
export async function converse(
  ctx: AppContext,
  texts: readonly string[],
  between?: (conversationId: string, index: number) => Promise<unknown>,
) {
  const customer = await createAnonymousCustomer(ctx.database.db);
  let id: string | undefined;
  const readings = [];
  for (const [index, text] of texts.entries()) {
    const result = await say(ctx, customer.id, text, id);
    id = result.conversationId;
    readings.push(result.classification);
    await between?.(id, index);
  }
  return { conversationId: id!, customerId: customer.id, readings };
}
