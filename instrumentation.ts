import type { Instrumentation } from 'next';

/**
 * At server start: every console line becomes a JSON log line (also under `next dev` and plain
 * `next start`; `npm start` does it earlier still), then the database is opened, migrated and
 * seeded, not on the first request.
 */
export async function register() {
  // NEXT_RUNTIME is set by Next itself and only tells which runtime loads this file.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { routeConsoleToLog } = await import('@/lib/log');
  routeConsoleToLog();
  const [{ getApp }, { getConfig }, { registerAiTelemetry }] = await Promise.all([
    import('@/lib/server/app'),
    import('@/lib/config'),
    import('@/lib/observability/telemetry'),
  ]);
  await registerAiTelemetry(getConfig());
  await getApp();
}

/**
 * An error that escaped a page, route or the proxy, as one JSON line with its request (the path
 * without its query, which may hold personal data); Next's own print of it is then dropped.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { log, markErrorLogged } = await import('@/lib/log');
  const requestId = request.headers['x-request-id'];
  log.error(
    {
      err: error,
      method: request.method,
      path: request.path.split('?')[0],
      routePath: context.routePath,
      routeType: context.routeType,
      ...(typeof requestId === 'string' ? { requestId } : {}),
    },
    'request failed',
  );
  markErrorLogged(error);
};
