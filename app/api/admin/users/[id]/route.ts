import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import { countAdmins, findStaff, updateStaff } from '@/lib/staff/queries';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { password } from '../../schemas';

const changes = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
  role: z.enum(['agent', 'admin']).optional(),
  password: password.optional(),
});

/** Renames, changes the role or resets the password of an agent or admin. */
export const PATCH = staffRoute<{ id: string }>('admin', async ({ app, request, params }) => {
  const input = await readJsonBody(request, changes, { surface: 'user', maxBytes: SMALL_BODY });
  const { db } = app.database;
  const current = await findStaff(db, params.id);
  if (!current) throw new TandemError('not_found:user', 'No agent or admin has that id.');
  if (current.role === 'admin' && input.role === 'agent' && (await countAdmins(db)) <= 1) {
    throw new TandemError('conflict:user', 'The workspace needs at least one admin.');
  }
  return Response.json(await updateStaff(db, params.id, input));
});
