import { apiConnectorBody, connectorFromApi, connectorJson } from '@/app/api/v1/_lib/connectors';
import { addConnector, listConnectors, presentConnector } from '@/lib/actions/mcp-connectors';
import { apiRoute } from '../api-route';

export const GET = apiRoute({ scope: 'admin' }, async ({ app }) => {
  const { db } = app.database;
  const rows = await listConnectors(db);
  return Response.json({
    data: await Promise.all(
      rows.map(async (row) => connectorJson(await presentConnector(db, row))),
    ),
  });
});

export const POST = apiRoute(
  { scope: 'admin', surface: 'connector', body: apiConnectorBody },
  async ({ app, caller, body }) => {
    const { db } = app.database;
    const row = await addConnector(
      { db, secret: app.secret },
      { type: 'api', id: caller.keyId, name: caller.name },
      connectorFromApi(body),
    );
    return Response.json(connectorJson(await presentConnector(db, row)), { status: 201 });
  },
);
