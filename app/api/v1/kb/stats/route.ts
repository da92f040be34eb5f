import { kbStats } from '@/app/api/v1/_lib/knowledge';
import { apiRoute } from '../../api-route';

export const GET = apiRoute({ scope: 'read' }, async ({ app }) =>
  Response.json(await kbStats(app)),
);
