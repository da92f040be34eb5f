import {
  apiProcedureBody,
  definitionFromApi,
  procedureDetailJson,
  withApiFieldNames,
} from '@/app/api/v1/_lib/procedures';
import {
  deleteProcedure,
  findProcedure,
  getProcedure,
  saveProcedureDraft,
} from '@/lib/procedures/manage';
import { apiRoute } from '../../api-route';

/** A procedure by id or name: its draft, published version and version history. */
export const GET = apiRoute(
  { scope: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, params }) => {
    const { id } = await findProcedure(app.database.db, params.id);
    return Response.json(procedureDetailJson(await getProcedure(app.database.db, id)));
  },
);

/** Replaces the draft; the published version is unchanged until the next publish. */
export const PUT = apiRoute(
  { scope: 'admin', surface: 'procedure', params: ['id'], body: apiProcedureBody },
  async ({ app, caller, params, body }) => {
    const { id } = await findProcedure(app.database.db, params.id);
    const procedure = await saveProcedureDraft(
      app.database.db,
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
      definitionFromApi(body),
    ).catch((error: unknown) => {
      throw withApiFieldNames(error);
    });
    return Response.json(procedureDetailJson(procedure));
  },
);

export const DELETE = apiRoute(
  { scope: 'admin', surface: 'procedure', params: ['id'] },
  async ({ app, caller, params }) => {
    const { id } = await findProcedure(app.database.db, params.id);
    await deleteProcedure(
      app.database.db,
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
    );
    return new Response(null, { status: 204 });
  },
);
