import { diffRuns } from '@/lib/desk-tests/runs';
import { staffRoute } from '../../../../../staff-route';
import { diffQuery } from '../../../schemas';

/** What changed since the previous run (or the one named), newly failing cases first. */
export const GET = staffRoute(
  { role: 'admin', surface: 'desk_test_run', params: ['id'], query: diffQuery },
  async ({ app, params, query }) =>
    Response.json(await diffRuns(app.database.db, params.id, query.previous)),
);
