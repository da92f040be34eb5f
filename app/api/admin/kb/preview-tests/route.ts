import { type KbPreviewProgress, openKbPreview } from '@/lib/server/desk-tests';
import { staffRoute } from '../../../staff-route';
import { progressResponse } from '../progress-stream';
import { previewTestsFields } from './schema';

/** A Markdown article of up to a million characters, as JSON (escapes included), and the rest. */
const PREVIEW_MAX_BYTES = 1024 * 1024 + 16 * 1024;

/**
 * "Run the tests" on a knowledge-base change before publishing it: the desk's cases on a
 * sandbox copy without and with the change. A draft naming no document, an unreadable article,
 * no cases or a run already going get their 4xx at once; then progress streams as NDJSON
 * (`{type:"progress",stage,done,total}`), ending with `{type:"done",change,breaks,fixes,summary}`
 * or `{type:"error",error}`. Leaving the page stops the work.
 */
export const POST = staffRoute(
  { role: 'admin', surface: 'kb', body: previewTestsFields, maxBytes: PREVIEW_MAX_BYTES },
  async ({ app, body, request }) => {
    const preview = await openKbPreview(app, body.change, { k: body.k });
    return progressResponse<KbPreviewProgress>(
      async (report) => ({ ...(await preview.run(report, request.signal)) }),
      'running the tests on a knowledge-base draft failed',
    );
  },
);
