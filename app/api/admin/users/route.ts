import { z } from 'zod';
import { createStaff, listStaff } from '@/lib/staff/queries';
import { staffRoute } from '../../staff-route';
import { password } from '../schemas';

const newUser = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  role: z.enum(['agent', 'admin']).default('agent'),
  password,
});

/** The whole team, deactivated accounts included (shown as such, to be reactivated). */
export const GET = staffRoute({ role: 'admin', surface: 'user' }, async ({ app }) => {
  return Response.json({ users: await listStaff(app.database.db, { includeDeactivated: true }) });
});

/** Admins create agents (and other admins). */
export const POST = staffRoute(
  { role: 'admin', surface: 'user', body: newUser },
  async ({ app, body }) => Response.json(await createStaff(app.database.db, body), { status: 201 }),
);
