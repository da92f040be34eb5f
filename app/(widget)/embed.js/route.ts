import { toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { getApp } from '@/lib/server/app';
import { getWidgetSettings } from '@/lib/settings/settings';
import { buildLoaderScript } from './loader';

export const dynamic = 'force-dynamic';

/** The loader script sites include to get the chat button; it follows the widget settings. */
export async function GET(request: Request): Promise<Response> {
  try {
    const app = await getApp();
    const widget = await getWidgetSettings(app.database.db);
    return new Response(buildLoaderScript(widget), {
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        // Sites pick up a new name or colour within a minute without refetching on every page.
        // CORS for the allowed widget origins comes from proxy.ts; a plain <script src> needs none,
        // but the loader's own check (a CORS request to this URL) is how it learns it may show.
        'cache-control': 'public, max-age=60',
      },
    });
  } catch (error) {
    log.error({ err: error, url: request.url }, 'embed script failed');
    return toErrorResponse(error);
  }
}
