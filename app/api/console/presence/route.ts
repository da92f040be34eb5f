import { z } from 'zod';
import { setAvailability } from '@/lib/staff/queries';
import { readJsonBody } from '../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../staff-route';

const body = z.object({ availability: z.enum(['online', 'away']) });

/** The agent says whether they can take conversations now. */
export const PUT = staffRoute('agent', async ({ app, staff, request }) => {
  const { availability } = await readJsonBody(request, body, {
    surface: 'presence',
    maxBytes: SMALL_BODY,
  });
  await setAvailability(app.database.db, staff.id, availability);
  return Response.json({ availability });
});
