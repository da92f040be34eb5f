import { z } from 'zod';
import { publishDraftArticle } from '@/lib/analytics/knowledge-insights';
import { staffRoute } from '../../../staff-route';

const body = z.object({ markdown: z.string().trim().min(1, 'must not be empty').max(200_000) });

/** Publishes a finished draft to the knowledge base. */
export const POST = staffRoute(
  { role: 'admin', surface: 'article', body, maxBytes: 400_000 },
  async ({ app, body }) => {
    const document = await publishDraftArticle(app, body.markdown);
    return Response.json(
      { id: document.id, slug: document.slug, title: document.title },
      { status: 201 },
    );
  },
);
