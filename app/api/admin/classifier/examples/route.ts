import { addExample } from '@/lib/settings/classifier-admin';
import { listExamples } from '@/lib/settings/classifier-queries';
import { staffRoute } from '../../../staff-route';
import { examplesQuery, newExample } from '../schema';

/** The latest examples of one label. */
export const GET = staffRoute(
  { role: 'admin', surface: 'classifier_example', query: examplesQuery },
  async ({ app, query }) => {
    const examples = await listExamples(app.database.db, { ...query, limit: 100 });
    return Response.json({ examples });
  },
);

export const POST = staffRoute(
  { role: 'admin', surface: 'classifier_example', body: newExample },
  async ({ app, body: { kind, ...example } }) => {
    await addExample(app.database.db, kind, example);
    return Response.json({ kind, ...example }, { status: 201 });
  },
);
