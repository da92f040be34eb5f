import { deleteCannedResponse, updateCannedResponse } from '@/lib/console/canned-responses';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { cannedResponseFields } from '../../schemas';

export const PATCH = staffRoute<{ id: string }>('admin', async ({ app, request, params }) => {
  const changes = await readJsonBody(request, cannedResponseFields.partial(), {
    surface: 'canned_response',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await updateCannedResponse(app.database.db, params.id, changes));
});

export const DELETE = staffRoute<{ id: string }>('admin', async ({ app, params }) => {
  await deleteCannedResponse(app.database.db, params.id);
  return new Response(null, { status: 204 });
});
