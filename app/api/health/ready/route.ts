import { log } from '@/lib/log';
import { getApp } from '@/lib/server/app';

export const dynamic = 'force-dynamic';

async function check(probe: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await probe();
    return { status: 'ok' as const, ms: Math.round(performance.now() - started) };
  } catch (error) {
    log.warn({ err: error }, 'readiness probe failed');
    return { status: 'down' as const, ms: Math.round(performance.now() - started) };
  }
}

/** Readiness: the database, the cache and the vector store answer. 503 until all do. */
export async function GET() {
  let app: Awaited<ReturnType<typeof getApp>>;
  try {
    app = await getApp();
  } catch (error) {
    log.error({ err: error }, 'tandem failed to start');
    return Response.json(
      { status: 'down', checks: { startup: { status: 'down' } } },
      { status: 503 },
    );
  }
  const [database, cache, vectors] = await Promise.all([
    check(() => app.database.ping()),
    check(() => app.cache.ping()),
    check(() => app.vectors.count()),
  ]);
  const ready = [database, cache, vectors].every((c) => c.status === 'ok');
  return Response.json(
    {
      status: ready ? 'ok' : 'down',
      checks: {
        database: { ...database, driver: app.database.driver },
        cache: { ...cache, kind: app.cache.kind },
        vectors: { ...vectors, kind: app.vectors.kind },
      },
    },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
