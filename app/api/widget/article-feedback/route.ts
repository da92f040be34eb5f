import { z } from 'zod';
import { limitArticleVotes, recordArticleFeedback, voterOf } from '@/lib/kb/article-feedback';
import { clientAddress } from '@/lib/security/client-address';
import { widgetRoute } from '../../widget-route';

const body = z.object({
  slug: z
    .string()
    .max(200)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an article slug'),
  helpful: z.boolean(),
});

/** "Was this helpful?" under a help-center article: any reader, no chat needed, a few votes an hour. */
export const POST = widgetRoute(
  { surface: 'article_feedback', session: 'optional', body, maxBytes: 1024 },
  async ({ app, request, body }) => {
    const voter = voterOf(app.secret, clientAddress(request, app.config));
    await limitArticleVotes(app.cache, voter);
    await recordArticleFeedback(app.database.db, { slug: body.slug, voter, helpful: body.helpful });
    return new Response(null, { status: 204 });
  },
);
