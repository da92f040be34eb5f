import { publishProcedureDraft } from '@/lib/procedures/manage';
import { AUDITED_HEADER, staffRoute } from '../../../../staff-route';

/** Publishes the saved draft as the next version. */
export const POST = staffRoute(
  { role: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, staff, params }) => {
    const procedure = await publishProcedureDraft(
      app.database.db,
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
    );
    return Response.json(procedure, { headers: { [AUDITED_HEADER]: '1' } });
  },
);
