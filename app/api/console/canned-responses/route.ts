import { listCannedResponses } from '@/lib/console/canned-responses';
import { staffRoute } from '../../staff-route';

export const GET = staffRoute('agent', async ({ app }) => {
  return Response.json({ cannedResponses: await listCannedResponses(app.database.db) });
});
