import { exportCases } from '@/lib/desk-tests/cases';
import { staffRoute } from '../../../staff-route';

/** The suite as a JSON Lines download, in suite order: the import reads it back unchanged. */
export const GET = staffRoute({ role: 'admin', surface: 'desk_tests' }, async ({ app }) => {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(await exportCases(app.database.db), {
    headers: {
      'content-type': 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="desk-tests-${day}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
});
