import { invalidInput } from '@/lib/errors';
import { addExample } from '@/lib/settings/classifier-admin';
import { listExamples } from '@/lib/settings/classifier-queries';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { examplesQuery, newExample } from '../schema';

/** The latest examples of one label. */
export const GET = staffRoute('admin', async ({ app, request }) => {
  const query = examplesQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw invalidInput('classifier_example', query.error);
  const examples = await listExamples(app.database.db, { ...query.data, limit: 100 });
  return Response.json({ examples });
});

export const POST = staffRoute('admin', async ({ app, request }) => {
  const { kind, ...example } = await readJsonBody(request, newExample, {
    surface: 'classifier_example',
    maxBytes: SMALL_BODY,
  });
  await addExample(app.database.db, kind, example);
  return Response.json({ kind, ...example }, { status: 201 });
});
