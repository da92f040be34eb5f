import { z } from 'zod';
import { publishDraftArticle } from '@/lib/analytics/knowledge-insights';
import { readJsonBody } from '../../../read-json-body';
import { staffRoute } from '../../../staff-route';

const body = z.object({ markdown: z.string().trim().min(1, 'must not be empty').max(200_000) });

/** Publishes a finished draft to the knowledge base. */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const { markdown } = await readJsonBody(request, body, { surface: 'article', maxBytes: 400_000 });
  const document = await publishDraftArticle(app, markdown);
  return Response.json(
    { id: document.id, slug: document.slug, title: document.title },
    { status: 201 },
  );
});
