import { deskTestCaseSchema } from '@/lib/desk-tests/case';
import { deleteCase, upsertCase } from '@/lib/desk-tests/cases';
import { invalidFields } from '@/lib/errors';
import { staffRoute } from '../../../../staff-route';
import { auditDeskTests } from '../../audit';

/**
 * Saves the case with this id: added at the end of the suite (201) or replaced where it stands
 * (200). The body is the whole case, as one line of a suite; its id must be the one in the path,
 * so a typo cannot overwrite another case.
 */
export const PUT = staffRoute(
  { role: 'admin', surface: 'desk_test', params: ['caseId'], body: deskTestCaseSchema },
  async ({ app, staff, params, body }) => {
    if (body.id !== params.caseId) {
      throw invalidFields('desk_test', [
        { field: 'id', message: `must be the case's id in the address ("${params.caseId}")` },
      ]);
    }
    const saved = await upsertCase(app.database.db, body);
    const headers = await auditDeskTests(
      app,
      staff,
      'desk_test.saved',
      { type: 'desk_test', id: saved.case.id },
      { created: saved.created },
    );
    return Response.json(saved, { status: saved.created ? 201 : 200, headers });
  },
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'desk_test', params: ['caseId'] },
  async ({ app, staff, params }) => {
    await deleteCase(app.database.db, params.caseId);
    const headers = await auditDeskTests(app, staff, 'desk_test.deleted', {
      type: 'desk_test',
      id: params.caseId,
    });
    return new Response(null, { status: 204, headers });
  },
);
