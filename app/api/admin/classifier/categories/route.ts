import { createCategory } from '@/lib/settings/classifier-admin';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { newCategory } from '../schema';

export const POST = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, newCategory, {
    surface: 'category',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await createCategory(app.database.db, input), { status: 201 });
});
