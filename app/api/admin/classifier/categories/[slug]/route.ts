import { removeCategory, renameCategory } from '@/lib/settings/classifier-admin';
import { staffRoute } from '../../../../staff-route';
import { categoryChanges } from '../../schema';

export const PATCH = staffRoute(
  { role: 'admin', surface: 'category', params: ['slug'], body: categoryChanges },
  async ({ app, params, body }) => {
    await renameCategory(app.database.db, params.slug, body);
    return new Response(null, { status: 204 });
  },
);

/** Removes the category and its examples; retrain to make the classifier forget it. */
export const DELETE = staffRoute(
  { role: 'admin', surface: 'category', params: ['slug'] },
  async ({ app, params }) => {
    await removeCategory(app.database.db, params.slug);
    return new Response(null, { status: 204 });
  },
);
