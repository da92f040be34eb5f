import { procedureDetailJson, withApiFieldNames } from '@/app/api/v1/_lib/procedures';
import { findProcedure, publishProcedureDraft } from '@/lib/procedures/manage';
import { apiRoute } from '../../../api-route';

/** Publishes the saved draft as the next version. */
export const POST = apiRoute(
  { scope: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, caller, params }) => {
    const { id } = await findProcedure(app.database.db, params.id);
    const procedure = await publishProcedureDraft(
      app.database.db,
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
    ).catch((error: unknown) => {
      throw withApiFieldNames(error);
    });
    return Response.json(procedureDetailJson(procedure));
  },
);
