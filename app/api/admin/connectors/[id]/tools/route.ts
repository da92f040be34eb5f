import { actionDepsOf } from '@/lib/actions/calls';
import { importConnectorTools, listConnectorTools } from '@/lib/actions/mcp';
import { presentAction } from '@/lib/actions/queries';
import { AUDITED_HEADER, staffRoute } from '../../../../staff-route';
import { connectorImportBody } from '../../schemas';

/** The tools the server offers now, each as a draft action, with any already made from it. */
export const GET = staffRoute(
  { role: 'admin', surface: 'connector', params: ['id'] },
  async ({ app, params }) =>
    Response.json({ tools: await listConnectorTools(actionDepsOf(app), params.id) }),
);

/** Makes actions of the chosen tools (turned off unless `enable`), under every action policy. */
export const POST = staffRoute(
  { role: 'admin', surface: 'connector', params: ['id'], body: connectorImportBody },
  async ({ app, staff, params, body }) => {
    const created = await importConnectorTools(
      actionDepsOf(app),
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
      body.tools,
      { enable: body.enable },
    );
    return Response.json(
      { created: created.map(presentAction) },
      { status: 201, headers: { [AUDITED_HEADER]: '1' } },
    );
  },
);
