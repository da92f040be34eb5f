import {
  apiProcedureBody,
  definitionFromApi,
  procedureDetailJson,
  procedureJson,
  withApiFieldNames,
} from '@/app/api/v1/_lib/procedures';
import { createProcedure, listProcedures } from '@/lib/procedures/manage';
import { apiRoute } from '../api-route';

export const GET = apiRoute({ scope: 'admin' }, async ({ app }) =>
  Response.json({ data: (await listProcedures(app.database.db)).map(procedureJson) }),
);

/** Creates a procedure as a draft; customers get it once it is published. */
export const POST = apiRoute(
  { scope: 'admin', surface: 'procedure', body: apiProcedureBody },
  async ({ app, caller, body }) => {
    const procedure = await createProcedure(
      app.database.db,
      { type: 'api', id: caller.keyId, name: caller.name },
      definitionFromApi(body),
    ).catch((error: unknown) => {
      throw withApiFieldNames(error);
    });
    return Response.json(procedureDetailJson(procedure), { status: 201 });
  },
);
