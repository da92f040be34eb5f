import { actionDepsOf } from '@/lib/actions/calls';
import {
  changeAction,
  changeActionSecrets,
  removeAction,
  switchAction,
} from '@/lib/actions/manage';
import { getAction, presentAction } from '@/lib/actions/queries';
import { AUDITED_HEADER, staffRoute } from '../../../staff-route';
import { actionBody, actionSwitchBody } from '../schemas';

const audited = { [AUDITED_HEADER]: '1' };

export const GET = staffRoute(
  { role: 'admin', surface: 'action', params: ['id'] },
  async ({ app, params }) =>
    Response.json(presentAction(await getAction(app.database.db, params.id))),
);

/** Replaces the definition; a secret header sent without a value keeps its stored one. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'action', params: ['id'], body: actionBody },
  async ({ app, staff, params, body }) => {
    const action = await changeAction(
      actionDepsOf(app),
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
      body,
    );
    return Response.json(presentAction(action), { headers: audited });
  },
);

/** Turns the action on or off, or sets secret header values (write-only). */
export const PATCH = staffRoute(
  { role: 'admin', surface: 'action', params: ['id'], body: actionSwitchBody },
  async ({ app, staff, params, body }) => {
    const actor = { type: 'staff', id: staff.id, name: staff.name } as const;
    const action =
      'secrets' in body
        ? await changeActionSecrets(actionDepsOf(app), actor, params.id, body.secrets)
        : await switchAction(actionDepsOf(app), actor, params.id, body.enabled);
    return Response.json(presentAction(action), { headers: audited });
  },
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'action', params: ['id'] },
  async ({ app, staff, params }) => {
    await removeAction(
      actionDepsOf(app),
      { type: 'staff', id: staff.id, name: staff.name },
      params.id,
    );
    return new Response(null, { status: 204, headers: audited });
  },
);
