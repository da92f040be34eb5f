import {
  deleteCannedResponse,
  updateCannedResponse,
} from '@/lib/canned-responses/canned-responses';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';
import { staffRoute } from '../../../staff-route';
import { cannedResponseFields } from '../../schemas';

export const PATCH = staffRoute(
  {
    role: 'admin',
    surface: 'canned_response',
    params: ['id'],
    body: atLeastOneField(cannedResponseFields.partial()),
  },
  async ({ app, params, body }) =>
    Response.json(await updateCannedResponse(app.database.db, params.id, body)),
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'canned_response', params: ['id'] },
  async ({ app, params }) => {
    await deleteCannedResponse(app.database.db, params.id);
    return new Response(null, { status: 204 });
  },
);
