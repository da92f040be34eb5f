import { addConnector, listConnectors, presentConnector } from '@/lib/actions/mcp-connectors';
import { AUDITED_HEADER, staffRoute } from '../../staff-route';
import { connectorBody } from './schemas';

export const GET = staffRoute({ role: 'admin', surface: 'connector' }, async ({ app }) => {
  const { db } = app.database;
  const rows = await listConnectors(db);
  return Response.json({
    connectors: await Promise.all(rows.map((row) => presentConnector(db, row))),
    allowedHosts: app.config.actions.allowedHosts,
  });
});

/** Adds an MCP server; its secret header values are stored encrypted and never shown again. */
export const POST = staffRoute(
  { role: 'admin', surface: 'connector', body: connectorBody },
  async ({ app, staff, body }) => {
    const { db } = app.database;
    const row = await addConnector(
      { db, secret: app.secret },
      { type: 'staff', id: staff.id, name: staff.name },
      body,
    );
    return Response.json(await presentConnector(db, row), {
      status: 201,
      headers: { [AUDITED_HEADER]: '1' },
    });
  },
);
