import { isDemoInstalled, removeDemoContent } from '@/db/seed/demo-state';
import { TandemError } from '@/lib/errors';
import { AUDITED_HEADER, staffRoute } from '../../staff-route';

/**
 * "Remove the demo content" on a desk that started as the demo: its articles, customers and their
 * conversations, actions, procedures and shop orders go, and its pages are off for this desk.
 * The removal writes its own audit entry, with what it removed.
 */
export const DELETE = staffRoute({ role: 'admin', surface: 'demo' }, async ({ app, staff }) => {
  if (!(await isDemoInstalled(app.database.db))) {
    throw new TandemError('not_found:demo', 'This desk has no demo content to remove.');
  }
  const removed = await removeDemoContent(app, { type: 'staff', id: staff.id, name: staff.name });
  return Response.json({ removed }, { headers: { [AUDITED_HEADER]: '1' } });
});
