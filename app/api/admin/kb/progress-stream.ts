import { TandemError, toErrorResponse } from '@/lib/errors';
import type { IngestProgress } from '@/lib/kb/ingest';
import { log } from '@/lib/log';

/** One line of an NDJSON progress response. */
export type ProgressEvent<P extends object = IngestProgress> =
  | ({ type: 'progress' } & P)
  | ({ type: 'done' } & Record<string, unknown>)
  | { type: 'error'; error: { code: string; message: string } };

/**
 * Runs `work` and streams its progress as newline-delimited JSON, one event per line, ending with
 * a `done` line carrying the result or an `error` line. Input is validated before this is called,
 * so bad requests still get their 4xx status; only failures while indexing arrive as a line.
 */
export function progressResponse<P extends object = IngestProgress>(
  work: (report: (progress: P) => void) => Promise<Record<string, unknown>>,
  failure = 'indexing a document failed',
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: ProgressEvent<P>) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          // The admin closed the page: the document is still indexed, only nobody is told.
          open = false;
        }
      };
      try {
        const result = await work((progress) => send({ type: 'progress', ...progress }));
        send({ type: 'done', ...result });
      } catch (error) {
        if (!(error instanceof TandemError)) log.error({ err: error }, failure);
        const { error: detail } = (await toErrorResponse(error).json()) as {
          error: { code: string; message: string };
        };
        send({ type: 'error', error: { code: detail.code, message: detail.message } });
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
  });
}
