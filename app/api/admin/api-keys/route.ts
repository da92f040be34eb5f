import { z } from 'zod';
import { API_SCOPES, createApiKey, listApiKeys } from '@/lib/api-keys/keys';
import { staffRoute } from '../../staff-route';

const newKey = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'choose at least one scope'),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(120),
});

export const GET = staffRoute({ role: 'admin', surface: 'api_key' }, async ({ app }) => {
  return Response.json({ apiKeys: await listApiKeys(app.database.db) });
});

/** Creates a key; the response is the only time its secret is shown. */
export const POST = staffRoute(
  { role: 'admin', surface: 'api_key', body: newKey },
  async ({ app, staff, body }) => {
    const created = await createApiKey(app.database.db, { ...body, createdBy: staff.id });
    return Response.json(created, { status: 201 });
  },
);
