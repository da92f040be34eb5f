import { getClassifierOverview } from '@/lib/settings/classifier-admin';
import { staffRoute } from '../../staff-route';

export const GET = staffRoute({ role: 'admin', surface: 'classifier' }, async ({ app }) => {
  return Response.json(await getClassifierOverview(app.database.db));
});
