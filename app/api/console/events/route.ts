import { listenToConversationEvents } from '@/lib/events/conversation-events';
import { eventStreamResponse } from '@/lib/events/event-stream';
import { touchPresence } from '@/lib/staff/queries';
import { staffRoute } from '../../staff-route';

export const dynamic = 'force-dynamic';

/**
 * Every conversation event, live, for the console (queue and open conversation). While it is
 * connected the agent's console counts as open (the page's own heartbeat adds whether they use it).
 */
export const GET = staffRoute({ role: 'agent' }, async ({ app, staff, request }) => {
  const { db } = app.database;
  await touchPresence(db, staff.id, { opened: true });
  return eventStreamResponse(
    request.signal,
    (send) => listenToConversationEvents(app, (event) => send(event.type, event)),
    { onHeartbeat: () => void touchPresence(db, staff.id).catch(() => {}) },
  );
});
