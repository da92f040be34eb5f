import { tryQuestion } from '@/lib/kb/try-question';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { tryQuestionFields } from '../schemas';

/** "Try a question": what the bot would retrieve and answer, without storing a conversation. */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const { question } = await readJsonBody(request, tryQuestionFields, {
    surface: 'kb',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await tryQuestion(app, question));
});
