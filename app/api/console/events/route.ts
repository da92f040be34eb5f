import { listenToConversationEvents } from '@/lib/events/conversation-events';
import { eventStreamResponse } from '@/lib/events/event-stream';
import { currentSessionVersion, touchPresence } from '@/lib/staff/queries';
import { staffRoute } from '../../staff-route';

export const dynamic = 'force-dynamic';

/**
 * Every conversation event, live, for the console (queue and open conversation). While it is
 * connected the agent's console counts as open (the page's own heartbeat adds whether they use it);
 * it closes once the session it was opened with ends, so a signed-out agent's tab stops counting.
 */
export const GET = staffRoute({ role: 'agent' }, async ({ app, staff, request }) => {
  const { db } = app.database;
  const sessionVersion = await currentSessionVersion(db, staff.id);
  await touchPresence(db, staff.id, { opened: true, sessionVersion });
  return eventStreamResponse(
    request.signal,
    (send) => listenToConversationEvents(app, (event) => send(event.type, event)),
    { onHeartbeat: () => touchPresence(db, staff.id, { sessionVersion }) },
  );
});
