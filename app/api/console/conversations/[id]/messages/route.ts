import { z } from 'zod';
import { markRead } from '@/lib/console/queue';
import { sendAgentReply } from '@/lib/conversations/handoff';
import { readJsonBody } from '../../../../read-json-body';
import { staffRoute } from '../../../../staff-route';

/** An agent's reply to the customer; only the agent who has the conversation may send one. */
export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params, request }) => {
  const max = app.config.chat.maxMessageChars;
  const body = z.object({ text: z.string().trim().min(1, 'must not be empty').max(max) });
  const { text } = await readJsonBody(request, body, {
    surface: 'reply',
    maxBytes: max * 4 + 1024,
  });
  const message = await sendAgentReply(app, staff, params.id, text);
  await markRead(app.database.db, params.id, staff.id);
  return Response.json(
    { id: message.id, content: message.content, createdAt: message.createdAt },
    { status: 201 },
  );
});
