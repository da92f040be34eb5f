import { listCases } from '@/lib/desk-tests/cases';
import { staffRoute } from '../../../staff-route';

/** The desk's test cases in suite order, each with its latest result (null before its first run). */
export const GET = staffRoute({ role: 'admin', surface: 'desk_test' }, async ({ app }) =>
  Response.json({ cases: await listCases(app.database.db) }),
);
