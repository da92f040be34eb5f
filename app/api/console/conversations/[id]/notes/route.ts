import { z } from 'zod';
import { addNote } from '@/lib/console/conversation-detail';
import { publishConversationEvent } from '@/lib/events/conversation-events';
import { readJsonBody } from '../../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../../staff-route';

const body = z.object({ text: z.string().trim().min(1, 'must not be empty').max(10_000) });

/** An internal note: agents only, never part of the customer's transcript. */
export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params, request }) => {
  const { text } = await readJsonBody(request, body, { surface: 'note', maxBytes: SMALL_BODY });
  const note = await addNote(app.database.db, {
    conversationId: params.id,
    author: staff,
    content: text,
  });
  void publishConversationEvent(app, params.id, { type: 'note.created' });
  return Response.json(
    { id: note.id, authorName: note.authorName, content: note.content, createdAt: note.createdAt },
    { status: 201 },
  );
});
