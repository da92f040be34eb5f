import { tryQuestion } from '@/lib/kb/try-question';
import { staffRoute } from '../../../staff-route';
import { tryQuestionFields } from '../schemas';

/** "Try a question": what the bot would retrieve and answer, without storing a conversation. */
export const POST = staffRoute(
  { role: 'admin', surface: 'kb', body: tryQuestionFields },
  async ({ app, body }) => Response.json(await tryQuestion(app, body.question)),
);
