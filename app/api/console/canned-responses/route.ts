import { listCannedResponses } from '@/lib/canned-responses/canned-responses';
import { staffRoute } from '../../staff-route';

export const GET = staffRoute({ role: 'agent' }, async ({ app }) => {
  return Response.json({ cannedResponses: await listCannedResponses(app.database.db) });
});
