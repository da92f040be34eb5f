import {
  actionByIdOrName,
  actionJson,
  apiActionBody,
  apiActionSwitchBody,
  definitionFromApi,
  withApiFieldNames,
} from '@/app/api/v1/_lib/actions';
import { actionDepsOf } from '@/lib/actions/calls';
import { changeAction, removeAction, switchAction } from '@/lib/actions/manage';
import { apiRoute } from '../../api-route';

/** An action by its id or name. */
export const GET = apiRoute({ scope: 'admin', params: ['id'] }, async ({ app, params }) =>
  Response.json(actionJson(await actionByIdOrName(app.database.db, params.id))),
);

/** Replaces the definition; a secret header sent without a value keeps its stored one. */
export const PUT = apiRoute(
  { scope: 'admin', surface: 'action', params: ['id'], body: apiActionBody },
  async ({ app, caller, params, body }) => {
    const { id } = await actionByIdOrName(app.database.db, params.id);
    const action = await changeAction(
      actionDepsOf(app),
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
      definitionFromApi(body),
    ).catch((error: unknown) => {
      throw withApiFieldNames(error);
    });
    return Response.json(actionJson(action));
  },
);

/** Turns the action on or off. */
export const PATCH = apiRoute(
  { scope: 'admin', surface: 'action', params: ['id'], body: apiActionSwitchBody },
  async ({ app, caller, params, body }) => {
    const { id } = await actionByIdOrName(app.database.db, params.id);
    const action = await switchAction(
      actionDepsOf(app),
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
      body.enabled,
    );
    return Response.json(actionJson(action));
  },
);

export const DELETE = apiRoute(
  { scope: 'admin', params: ['id'] },
  async ({ app, caller, params }) => {
    const { id } = await actionByIdOrName(app.database.db, params.id);
    await removeAction(actionDepsOf(app), { type: 'api', id: caller.keyId, name: caller.name }, id);
    return new Response(null, { status: 204 });
  },
);
