import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

export type ChatCompletionRequest = {
  model: string;
  stream?: boolean;
  messages: { role: string; content: string }[];
  tools?: { type: string; function: { name: string } }[];
};

/** A plain, valid classification for suites that do not test classification itself. */
export const FAKE_CLASSIFICATION = {
  category: 'account',
  intent: 'question',
  priority: 'medium',
  sentiment: { polarity: 0, label: 'neutral', frustration: 0 },
  language: 'en',
  summary: 'Asks how to reset a password',
  requiresHuman: false,
  confidence: 0.9,
};

export interface FakeOpenAIOptions {
  /** What a structured-output (non-streaming) call returns as the message content. */
  classification: object;
  /** The streamed answer, piece by piece. */
  answer: string[];
  /** Sees every request, whatever its path: method, path and parsed body. */
  onRequest?: (request: {
    method: string;
    path: string;
    body: ChatCompletionRequest | null;
  }) => void;
  /** When set, only POST /v1/chat/completions with this bearer key is answered; others get 404. */
  requireKey?: string;
}

/**
 * A stand-in for any OpenAI-compatible server (Ollama, vLLM…): answers structured-output calls
 * with a fixed JSON object and streams a fixed completion for answers.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions): Promise<Server> {
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as ChatCompletionRequest) : null;
    options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', body });
    if (
      options.requireKey &&
      (req.url !== '/v1/chat/completions' ||
        req.headers.authorization !== `Bearer ${options.requireKey}`)
    ) {
      res.writeHead(404).end();
      return;
    }
    if (!body?.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-c',
          object: 'chat.completion',
          created: 1_760_000_000,
          model: 'fake-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: JSON.stringify(options.classification) },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1_760_000_000,
        model: 'fake-model',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of options.answer) res.write(chunk({ content: piece }, null));
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => server);
}
