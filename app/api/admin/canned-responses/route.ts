import { createCannedResponse, listCannedResponses } from '@/lib/console/canned-responses';
import { readJsonBody } from '../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../staff-route';
import { cannedResponseFields } from '../schemas';

export const GET = staffRoute('admin', async ({ app }) => {
  return Response.json({ cannedResponses: await listCannedResponses(app.database.db) });
});

export const POST = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, cannedResponseFields, {
    surface: 'canned_response',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await createCannedResponse(app.database.db, input), { status: 201 });
});
