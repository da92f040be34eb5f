import { createCannedResponse, listCannedResponses } from '@/lib/canned-responses/canned-responses';
import { staffRoute } from '../../staff-route';
import { cannedResponseFields } from '../schemas';

export const GET = staffRoute({ role: 'admin', surface: 'canned_response' }, async ({ app }) => {
  return Response.json({ cannedResponses: await listCannedResponses(app.database.db) });
});

export const POST = staffRoute(
  { role: 'admin', surface: 'canned_response', body: cannedResponseFields },
  async ({ app, body }) =>
    Response.json(await createCannedResponse(app.database.db, body), { status: 201 }),
);
