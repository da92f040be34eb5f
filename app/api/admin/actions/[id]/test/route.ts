import { actionDepsOf } from '@/lib/actions/calls';
import { testAction } from '@/lib/actions/manage';
import { AUDITED_HEADER, staffRoute } from '../../../../staff-route';
import { actionTestBody } from '../../schemas';

/** Runs the action once with sample values and shows the request and answer, secrets masked. */
export const POST = staffRoute(
  { role: 'admin', surface: 'action', params: ['id'], body: actionTestBody, bodyOptional: true },
  async ({ app, staff, params, body }) =>
    Response.json(
      await testAction(
        actionDepsOf(app),
        { type: 'staff', id: staff.id, name: staff.name },
        params.id,
        body,
      ),
      { headers: { [AUDITED_HEADER]: '1' } },
    ),
);
