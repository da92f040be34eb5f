import { z } from 'zod';

export function chatRequestSchema(maxMessageChars: number) {
  return z.object({
    conversationId: z.uuid({ message: 'must be a conversation id (UUID)' }).optional(),
    message: z.object({
      id: z.string().min(1).max(100),
      role: z.literal('user'),
      parts: z
        .array(z.object({ type: z.literal('text'), text: z.string() }))
        .min(1)
        .transform((parts) =>
          parts
            .map((p) => p.text)
            .join('\n')
            .trim(),
        )
        .pipe(
          z
            .string()
            .min(1, 'must not be empty')
            .max(maxMessageChars, `must be at most ${maxMessageChars} characters`),
        ),
    }),
  });
}
