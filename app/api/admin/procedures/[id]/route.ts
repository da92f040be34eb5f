import { deleteProcedure, getProcedure, saveProcedureDraft } from '@/lib/procedures/manage';
import { AUDITED_HEADER, staffRoute } from '../../../staff-route';
import { procedureBody } from '../schemas';

const audited = { [AUDITED_HEADER]: '1' };

/** The draft, the published version and the version history. */
export const GET = staffRoute(
  { role: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, params }) => Response.json(await getProcedure(app.database.db, params.id)),
);

/** Replaces the draft; the published version is unchanged until the next publish. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'procedure', params: ['id'], body: procedureBody },
  async ({ app, staff, params, body }) => {
    const procedure = await saveProcedureDraft(
      app.database.db,
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
      body,
    );
    return Response.json(procedure, { headers: audited });
  },
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, staff, params }) => {
    await deleteProcedure(
      app.database.db,
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
    );
    return new Response(null, { status: 204, headers: audited });
  },
);
