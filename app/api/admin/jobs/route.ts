import { z } from 'zod';
import { countJobs, listJobs } from '@/lib/jobs/queries';
import { staffRoute } from '../../staff-route';

const query = z.object({
  status: z.enum(['queued', 'running', 'completed', 'failed', 'retried']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Counts by status and the newest jobs, optionally of one status (or only retried ones). */
export const GET = staffRoute({ role: 'admin', surface: 'jobs', query }, async ({ app, query }) => {
  const { db } = app.database;
  const [counts, jobs] = await Promise.all([countJobs(db), listJobs(db, query)]);
  return Response.json({ counts, jobs });
});
