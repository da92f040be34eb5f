import { searchApiKb } from '@/app/api/v1/_lib/knowledge';
import { kbSearchBody } from '@/app/api/v1/_lib/schemas';
import { apiRoute } from '../../api-route';

/** The passages the bot would answer from, with scores and the relevance confidence. */
export const POST = apiRoute(
  { scope: 'read', body: kbSearchBody, maxBytes: 16 * 1024 },
  async ({ app, body }) => Response.json(await searchApiKb(app, body)),
);
