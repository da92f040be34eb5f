import { turnUIMessageStream } from '@/app/api/turn-stream';
import type { AppContext } from '@/lib/context';
import { runTurn, type TurnRequest } from '@/lib/turn/turn';

/** A customer turn, with its events as the UI message stream the widget reads. */
export async function askTurn(ctx: AppContext, request: TurnRequest) {
  const turn = await runTurn(ctx, request);
  return { ...turn, stream: turnUIMessageStream(turn) };
}
