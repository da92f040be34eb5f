import { actionDepsOf } from '@/lib/actions/calls';
import { importActions, previewImport } from '@/lib/actions/manage';
import { presentAction } from '@/lib/actions/queries';
import { AUDITED_HEADER, staffRoute } from '../../../staff-route';
import { actionImportBody } from '../schemas';

/**
 * Reads an OpenAPI 3 document (pasted, or from its URL): without `operations`, lists them as
 * draft actions to pick from; with them, creates those (turned off until tested and enabled).
 */
export const POST = staffRoute(
  { role: 'admin', surface: 'action', body: actionImportBody },
  async ({ app, staff, body }) => {
    const deps = actionDepsOf(app);
    const { operations, ...source } = body;
    if (!operations) {
      return Response.json(
        { operations: await previewImport(deps, source) },
        { headers: { [AUDITED_HEADER]: '1' } },
      );
    }
    const created = await importActions(
      deps,
      { type: 'staff', id: staff.id, name: staff.name },
      source,
      operations,
    );
    return Response.json(
      { created: created.map(presentAction) },
      { status: 201, headers: { [AUDITED_HEADER]: '1' } },
    );
  },
);
