import { kbStats } from '@/lib/api/knowledge';
import { apiRoute } from '../../api-route';

export const GET = apiRoute({ scope: 'read' }, async ({ app }) =>
  Response.json(await kbStats(app)),
);
