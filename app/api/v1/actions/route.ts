import {
  actionJson,
  apiActionBody,
  definitionFromApi,
  withApiFieldNames,
} from '@/app/api/v1/_lib/actions';
import { actionDepsOf } from '@/lib/actions/calls';
import { addAction } from '@/lib/actions/manage';
import { listActions } from '@/lib/actions/queries';
import { apiRoute } from '../api-route';

export const GET = apiRoute({ scope: 'admin' }, async ({ app }) =>
  Response.json({ data: (await listActions(app.database.db)).map(actionJson) }),
);

export const POST = apiRoute(
  { scope: 'admin', surface: 'action', body: apiActionBody },
  async ({ app, caller, body }) => {
    const action = await addAction(
      actionDepsOf(app),
      { type: 'api', id: caller.keyId, name: caller.name },
      definitionFromApi(body),
    ).catch((error: unknown) => {
      throw withApiFieldNames(error);
    });
    return Response.json(actionJson(action), { status: 201 });
  },
);
