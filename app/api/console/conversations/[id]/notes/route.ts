import { z } from 'zod';
import { addNote } from '@/lib/conversations/notes';
import { publishConversationEvent } from '@/lib/events/conversation-events';
import { staffRoute } from '../../../../staff-route';

const body = z.object({ text: z.string().trim().min(1, 'must not be empty').max(10_000) });

/** An internal note: agents only, never part of the customer's transcript. */
export const POST = staffRoute(
  { role: 'agent', surface: 'note', params: ['id'], body },
  async ({ app, staff, params, body }) => {
    const note = await addNote(app.database.db, {
      conversationId: params.id,
      author: staff,
      content: body.text,
    });
    void publishConversationEvent(app, params.id, { type: 'note.created' });
    return Response.json(
      {
        id: note.id,
        authorName: note.authorName,
        content: note.content,
        createdAt: note.createdAt,
      },
      { status: 201 },
    );
  },
);
