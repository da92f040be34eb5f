import { z } from 'zod';
import { updateStaff } from '@/lib/staff/queries';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';
import { staffRoute } from '../../../staff-route';
import { password } from '../../schemas';

const changes = atLeastOneField(
  z.object({
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    role: z.enum(['agent', 'admin']).optional(),
    password: password.optional(),
    /** false deactivates the account (ending its sessions), true reactivates it. */
    active: z.boolean().optional(),
  }),
);

/**
 * Renames, changes the role, resets the password, deactivates or reactivates an agent or admin.
 * A new role, a new password or deactivation signs the account out everywhere; the last active
 * admin can be neither demoted nor deactivated (409).
 */
export const PATCH = staffRoute(
  { role: 'admin', surface: 'user', params: ['id'], body: changes },
  async ({ app, params, body }) =>
    Response.json(await updateStaff(app.database.db, params.id, body)),
);
