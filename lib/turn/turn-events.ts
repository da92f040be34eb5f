import type { Citation } from '@/db/schema';
import type { ConfirmationRequest } from '@/lib/conversations/chat-message';
import type { HandOff } from './plan';

/**
 * What a turn does as it does it, independent of any face: the widget turns these into the AI SDK
 * UI message stream, /api/v1 into JSON or server-sent events.
 */
export type TurnEvent =
  /** A piece of the answer's text; `part` separates the answer from a hand-off notice after it. */
  | { type: 'text'; part: string; delta: string }
  | { type: 'tool-call'; toolCallId: string; tool: string; input: unknown }
  | { type: 'tool-result'; toolCallId: string; tool: string; output: unknown }
  | { type: 'citation'; citation: Citation }
  /**
   * A call of a write action waits for the customer: the face shows a confirm/cancel control with
   * the call's summary, and the turn asks nothing more of the model.
   */
  | ({ type: 'confirmation' } & ConfirmationRequest)
  | ({ type: 'hand-off'; ticket: string | null } & HandOff);

/**
 * An unbounded queue of a turn's events: the turn runs to the end and stores its answer whether
 * or not anyone reads them (a job only awaits the answer), and a reader sees every event once.
 */
export function turnEventChannel() {
  let controller!: ReadableStreamDefaultController<TurnEvent>;
  const stream = new ReadableStream<TurnEvent>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    emit: (event: TurnEvent) => controller.enqueue(event),
    end: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  };
}

export type TurnEventSink = (event: TurnEvent) => void;
