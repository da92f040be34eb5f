import { createProcedure, listProcedures } from '@/lib/procedures/manage';
import { AUDITED_HEADER, staffRoute } from '../../staff-route';
import { procedureBody } from './schemas';

export const GET = staffRoute({ role: 'admin', surface: 'procedure' }, async ({ app }) =>
  Response.json({ procedures: await listProcedures(app.database.db) }),
);

/** Creates a procedure as a draft; customers get it once it is published. */
export const POST = staffRoute(
  { role: 'admin', surface: 'procedure', body: procedureBody },
  async ({ app, staff, body }) => {
    const procedure = await createProcedure(
      app.database.db,
      { type: 'staff', id: staff.id, name: staff.name },
      body,
    );
    return Response.json(procedure, { status: 201, headers: { [AUDITED_HEADER]: '1' } });
  },
);
