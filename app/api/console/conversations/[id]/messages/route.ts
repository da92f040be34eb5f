import { z } from 'zod';
import { sendAgentReply } from '@/lib/conversations/handoff';
import { markRead } from '@/lib/conversations/reads';
import { staffRoute } from '../../../../staff-route';

/** An agent's reply to the customer; only the agent who has the conversation may send one. */
export const POST = staffRoute(
  {
    role: 'agent',
    surface: 'reply',
    params: ['id'],
    body: ({ chat }) =>
      z.object({ text: z.string().trim().min(1, 'must not be empty').max(chat.maxMessageChars) }),
    maxBytes: ({ chat }) => chat.maxMessageChars * 4 + 1024,
  },
  async ({ app, staff, params, body }) => {
    const message = await sendAgentReply(app, staff, params.id, body.text);
    await markRead(app.database.db, params.id, staff.id);
    return Response.json(
      { id: message.id, content: message.content, createdAt: message.createdAt },
      { status: 201 },
    );
  },
);
