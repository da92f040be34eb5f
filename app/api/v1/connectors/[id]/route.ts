import { apiConnectorBody, connectorFromApi, connectorJson } from '@/app/api/v1/_lib/connectors';
import {
  changeConnector,
  findConnector,
  presentConnector,
  removeConnector,
} from '@/lib/actions/mcp-connectors';
import { apiRoute } from '../../api-route';

/** A connector by its id or name. */
export const GET = apiRoute({ scope: 'admin', params: ['id'] }, async ({ app, params }) => {
  const { db } = app.database;
  return Response.json(
    connectorJson(await presentConnector(db, await findConnector(db, params.id))),
  );
});

/** Replaces the connector; a secret header sent without a value keeps its stored one. */
export const PUT = apiRoute(
  { scope: 'admin', surface: 'connector', params: ['id'], body: apiConnectorBody },
  async ({ app, caller, params, body }) => {
    const { db } = app.database;
    const { id } = await findConnector(db, params.id);
    const row = await changeConnector(
      { db, secret: app.secret },
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
      connectorFromApi(body),
    );
    return Response.json(connectorJson(await presentConnector(db, row)));
  },
);

/** Removes a connector that no action uses. */
export const DELETE = apiRoute(
  { scope: 'admin', params: ['id'] },
  async ({ app, caller, params }) => {
    const { db } = app.database;
    const { id } = await findConnector(db, params.id);
    await removeConnector({ db }, { type: 'api', id: caller.keyId, name: caller.name }, id);
    return new Response(null, { status: 204 });
  },
);
