import { removeCategory, renameCategory } from '@/lib/settings/classifier-admin';
import { readJsonBody } from '../../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../../staff-route';
import { categoryChanges } from '../../schema';

export const PATCH = staffRoute<{ slug: string }>('admin', async ({ app, request, params }) => {
  const input = await readJsonBody(request, categoryChanges, {
    surface: 'category',
    maxBytes: SMALL_BODY,
  });
  await renameCategory(app.database.db, params.slug, input);
  return new Response(null, { status: 204 });
});

/** Removes the category and its examples; retrain to make the classifier forget it. */
export const DELETE = staffRoute<{ slug: string }>('admin', async ({ app, params }) => {
  await removeCategory(app.database.db, params.slug);
  return new Response(null, { status: 204 });
});
