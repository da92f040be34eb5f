import { searchApiKb } from '@/lib/api/knowledge';
import { kbSearchBody } from '@/lib/api/schemas';
import { apiRoute } from '../../api-route';

/** The passages the bot would answer from, with scores and the relevance confidence. */
export const POST = apiRoute(
  { scope: 'read', body: kbSearchBody, maxBytes: 16 * 1024 },
  async ({ app, body }) => Response.json(await searchApiKb(app, body)),
);
