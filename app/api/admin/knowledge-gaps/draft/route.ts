import { z } from 'zod';
import { draftArticle } from '@/lib/analytics/knowledge-insights';
import { staffRoute } from '../../../staff-route';

const body = z.object({
  label: z.string().trim().min(1).max(200),
  examples: z.array(z.string().trim().min(1).max(2000)).min(1).max(20),
  categories: z.array(z.string().max(100)).max(20).default([]),
});

/** A draft article for one content gap, for the admin to finish. */
export const POST = staffRoute({ role: 'admin', surface: 'draft', body }, async ({ app, body }) =>
  Response.json({ markdown: await draftArticle(app, body) }),
);
