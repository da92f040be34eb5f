import { draftCaseFromConversation } from '@/lib/desk-tests/from-conversation';
import { audit } from '@/lib/privacy/audit';
import { staffRoute } from '../../../staff-route';
import { draftQuery } from '../schemas';

/**
 * A test case drafted from a conversation (its customer messages as turns, what the desk did as
 * the expectation), for the case form to open with; nothing is saved.
 */
export const GET = staffRoute(
  { role: 'admin', surface: 'desk_test', query: draftQuery },
  async ({ app, staff, query }) => {
    const draft = await draftCaseFromConversation(app.database.db, query.conversationId);
    // It reads the customer's messages, as opening the conversation in the console does.
    await audit(
      app.database.db,
      { type: 'staff', id: staff.id, name: staff.name },
      'conversation.viewed',
      { type: 'conversation', id: query.conversationId },
      { for: 'desk_test_draft' },
    );
    return Response.json({ case: draft });
  },
);
