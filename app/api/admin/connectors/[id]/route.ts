import {
  changeConnector,
  getConnector,
  presentConnector,
  removeConnector,
} from '@/lib/actions/mcp-connectors';
import { AUDITED_HEADER, staffRoute } from '../../../staff-route';
import { connectorBody } from '../schemas';

export const GET = staffRoute(
  { role: 'admin', surface: 'connector', params: ['id'] },
  async ({ app, params }) =>
    Response.json(
      await presentConnector(app.database.db, await getConnector(app.database.db, params.id)),
    ),
);

/** Replaces the connector; a secret header sent without a value keeps its stored one. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'connector', params: ['id'], body: connectorBody },
  async ({ app, staff, params, body }) => {
    const { db } = app.database;
    const row = await changeConnector(
      { db, secret: app.secret },
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
      body,
    );
    return Response.json(await presentConnector(db, row), {
      headers: { [AUDITED_HEADER]: '1' },
    });
  },
);

/** Removes a connector that no action uses. */
export const DELETE = staffRoute(
  { role: 'admin', surface: 'connector', params: ['id'] },
  async ({ app, staff, params }) => {
    await removeConnector(
      { db: app.database.db },
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
    );
    return new Response(null, { status: 204, headers: { [AUDITED_HEADER]: '1' } });
  },
);
