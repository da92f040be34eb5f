import { listStaff } from '@/lib/staff/queries';
import { staffRoute } from '../../staff-route';

/** Who can take a transfer, and who is around. */
export const GET = staffRoute({ role: 'agent' }, async ({ app }) => {
  const staff = await listStaff(app.database.db);
  return Response.json({
    agents: staff.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      availability: s.availability,
      presence: s.presence,
      available: s.available,
    })),
  });
});
