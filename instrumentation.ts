/** Opens the database, applies migrations and seeds at server start, not on the first request. */
export async function register() {
  // NEXT_RUNTIME is set by Next itself and only tells which runtime loads this file.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ getApp }, { getConfig }, { registerAiTelemetry }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/config'),
    import('@/lib/observability/telemetry'),
  ]);
  await registerAiTelemetry(getConfig());
  await getApp();
}
