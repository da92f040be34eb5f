import { actionDepsOf } from '@/lib/actions/calls';
import { addAction } from '@/lib/actions/manage';
import { listActions, presentAction } from '@/lib/actions/queries';
import { AUDITED_HEADER, staffRoute } from '../../staff-route';
import { actionBody } from './schemas';

export const GET = staffRoute({ role: 'admin', surface: 'action' }, async ({ app }) =>
  Response.json({
    actions: (await listActions(app.database.db)).map(presentAction),
    allowedHosts: app.config.actions.allowedHosts,
  }),
);

/** Creates an action (turned off unless `enabled` says otherwise). */
export const POST = staffRoute(
  { role: 'admin', surface: 'action', body: actionBody },
  async ({ app, staff, body }) => {
    const action = await addAction(
      actionDepsOf(app),
      { type: 'staff', id: staff.id, name: staff.name },
      body,
    );
    return Response.json(presentAction(action), {
      status: 201,
      headers: { [AUDITED_HEADER]: '1' },
    });
  },
);
