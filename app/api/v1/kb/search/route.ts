import { searchApiKb } from '@/lib/api/knowledge';
import { kbSearchBody } from '@/lib/api/schemas';
import { readJsonBody } from '../../../read-json-body';
import { apiRoute } from '../../api-route';

/** The passages the bot would answer from, with scores and the relevance confidence. */
export const POST = apiRoute('read', async ({ app, request }) => {
  const body = await readJsonBody(request, kbSearchBody, { surface: 'api', maxBytes: 16 * 1024 });
  return Response.json(await searchApiKb(app, body));
});
