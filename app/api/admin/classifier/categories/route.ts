import { createCategory } from '@/lib/settings/classifier-admin';
import { staffRoute } from '../../../staff-route';
import { newCategory } from '../schema';

export const POST = staffRoute(
  { role: 'admin', surface: 'category', body: newCategory },
  async ({ app, body }) =>
    Response.json(await createCategory(app.database.db, body), { status: 201 }),
);
