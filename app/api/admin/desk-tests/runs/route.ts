import { listRuns } from '@/lib/desk-tests/runs';
import { startRun } from '@/lib/server/desk-tests';
import { OWN_ROUTES } from '../../../own-routes';
import { staffRoute } from '../../../staff-route';
import { auditDeskTests } from '../audit';
import { runRequest, runsQuery } from '../schemas';

/** Runs, newest first, without their results. */
export const GET = staffRoute(
  { role: 'admin', surface: 'desk_test_run', query: runsQuery },
  async ({ app, query }) =>
    Response.json({ runs: await listRuns(app.database.db, { limit: query.limit }) }),
);

/**
 * Starts a run of all cases, or of those named, on a sandbox copy of the desk, and answers at
 * once (202) with the stored run to poll; 409 while another run is going.
 */
export const POST = staffRoute(
  { role: 'admin', surface: 'desk_test_run', body: runRequest, bodyOptional: true },
  async ({ app, staff, body }) => {
    const { run } = await startRun(app, {
      startedBy: { id: staff.id, name: staff.name },
      caseIds: body.caseIds,
      k: body.k,
      procedures: body.procedures,
      ownRoutes: OWN_ROUTES,
    });
    const headers = await auditDeskTests(
      app,
      staff,
      'desk_test_run.started',
      { type: 'desk_test_run', id: run.id },
      { cases: run.total, k: run.k, procedures: body.procedures ?? 'published' },
    );
    return Response.json({ run }, { status: 202, headers });
  },
);
