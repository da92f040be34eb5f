import { actionJson } from '@/app/api/v1/_lib/actions';
import { apiConnectorImportBody, toolJson } from '@/app/api/v1/_lib/connectors';
import { actionDepsOf } from '@/lib/actions/calls';
import { importConnectorTools, listConnectorTools } from '@/lib/actions/mcp';
import { findConnector } from '@/lib/actions/mcp-connectors';
import { apiRoute } from '../../../api-route';

/** The tools the connector's server offers now, with any action already made from each. */
export const GET = apiRoute({ scope: 'admin', params: ['id'] }, async ({ app, params }) => {
  const { id } = await findConnector(app.database.db, params.id);
  const tools = await listConnectorTools(actionDepsOf(app), id);
  return Response.json({ data: tools.map(toolJson) });
});

/** Makes actions of the chosen tools (turned off unless `enable`), under every action policy. */
export const POST = apiRoute(
  { scope: 'admin', surface: 'connector', params: ['id'], body: apiConnectorImportBody },
  async ({ app, caller, params, body }) => {
    const { id } = await findConnector(app.database.db, params.id);
    const created = await importConnectorTools(
      actionDepsOf(app),
      { type: 'api', id: caller.keyId, name: caller.name },
      id,
      body.tools,
      { enable: body.enable ?? false },
    );
    return Response.json({ data: created.map(actionJson) }, { status: 201 });
  },
);
