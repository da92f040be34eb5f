import { z } from 'zod';
import { createStaff, listStaff } from '@/lib/staff/queries';
import { readJsonBody } from '../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../staff-route';
import { password } from '../schemas';

const newUser = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  role: z.enum(['agent', 'admin']).default('agent'),
  password,
});

export const GET = staffRoute('admin', async ({ app }) => {
  return Response.json({ users: await listStaff(app.database.db) });
});

/** Admins create agents (and other admins). */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, newUser, { surface: 'user', maxBytes: SMALL_BODY });
  return Response.json(await createStaff(app.database.db, input), { status: 201 });
});
