import type { AppContext } from '@/lib/context';
import { audit } from '@/lib/privacy/audit';
import type { StaffUser } from '@/lib/staff/queries';
import { AUDITED_HEADER } from '../../staff-route';

/**
 * Records a change to the desk's tests under its own name and subject (a case's ids are not
 * UUIDs, so the generic entry would not say which case); returns the header that tells
 * staffRoute the change is already on the audit trail.
 */
export async function auditDeskTests(
  app: AppContext,
  staff: StaffUser,
  action: string,
  subject?: { type: 'desk_test' | 'desk_test_run'; id: string },
  details: Record<string, unknown> = {},
): Promise<Record<string, string>> {
  await audit(
    app.database.db,
    { type: 'staff', id: staff.id, name: staff.name },
    action,
    subject,
    details,
  );
  return { [AUDITED_HEADER]: '1' };
}
