/** Liveness: the process is up and serving. Readiness is /api/health/ready. */
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
