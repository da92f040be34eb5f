import { z } from 'zod';
import { setAvailability } from '@/lib/staff/queries';
import { staffRoute } from '../../staff-route';

const body = z.object({ availability: z.enum(['online', 'away']) });

/** The agent says whether they can take conversations now. */
export const PUT = staffRoute(
  { role: 'agent', surface: 'presence', body },
  async ({ app, staff, body: { availability } }) => {
    await setAvailability(app.database.db, staff.id, availability);
    return Response.json({ availability });
  },
);
