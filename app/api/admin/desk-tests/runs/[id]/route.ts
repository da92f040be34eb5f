import { getRun, getRunProgress } from '@/lib/desk-tests/runs';
import { staffRoute } from '../../../../staff-route';
import { runQuery } from '../../schemas';

/**
 * A run with its score (pass rate by kind, pass^k, pass@1, flaky) and per-case results so far;
 * with `view=progress`, only the run and its progress.
 */
export const GET = staffRoute(
  { role: 'admin', surface: 'desk_test_run', params: ['id'], query: runQuery },
  async ({ app, params, query }) =>
    Response.json(
      query.view === 'progress'
        ? await getRunProgress(app.database.db, params.id)
        : await getRun(app.database.db, params.id),
    ),
);
