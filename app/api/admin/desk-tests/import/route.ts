import { importCases } from '@/lib/desk-tests/cases';
import { staffRoute } from '../../../staff-route';
import { auditDeskTests } from '../audit';
import { caseImport, IMPORT_BODY } from '../schemas';

/**
 * Imports a JSON Lines suite, all or nothing: a bad line refuses the whole file, and the error
 * lists every bad line by number.
 */
export const POST = staffRoute(
  { role: 'admin', surface: 'desk_tests', body: caseImport, maxBytes: IMPORT_BODY },
  async ({ app, staff, body }) => {
    const counts = await importCases(app.database.db, body.jsonl, { replace: body.replace });
    const headers = await auditDeskTests(app, staff, 'desk_tests.imported', undefined, {
      ...counts,
      replace: body.replace,
    });
    return Response.json(counts, { headers });
  },
);
