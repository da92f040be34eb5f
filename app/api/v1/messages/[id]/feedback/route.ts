import { and, eq } from 'drizzle-orm';
import { feedbackBody } from '@/app/api/v1/_lib/schemas';
import { messageFeedback, messages } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../../api-route';

/** Thumbs up or down on an AI answer, e.g. from a mobile app's own chat screen. */
export const POST = apiRoute(
  { scope: 'write', params: ['id'], body: feedbackBody, maxBytes: 1024 },
  async ({ app, params, body: { helpful } }) => {
    const [answer] = isUuid(params.id)
      ? await app.database.db
          .select({ conversationId: messages.conversationId })
          .from(messages)
          .where(and(eq(messages.id, params.id), eq(messages.role, 'ai')))
      : [];
    if (!answer) throw new TandemError('not_found:message', 'No AI answer has that id.');
    await app.database.db
      .insert(messageFeedback)
      .values({ messageId: params.id, conversationId: answer.conversationId, helpful })
      .onConflictDoUpdate({ target: messageFeedback.messageId, set: { helpful } });
    return Response.json({ message_id: params.id, helpful });
  },
);
