import { z } from 'zod';
import { draftArticle } from '@/lib/analytics/knowledge-insights';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

const body = z.object({
  label: z.string().trim().min(1).max(200),
  examples: z.array(z.string().trim().min(1).max(2000)).min(1).max(20),
  categories: z.array(z.string().max(100)).max(20).default([]),
});

/** A draft article for one content gap, for the admin to finish. */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const topic = await readJsonBody(request, body, { surface: 'draft', maxBytes: SMALL_BODY });
  return Response.json({ markdown: await draftArticle(app, topic) });
});
