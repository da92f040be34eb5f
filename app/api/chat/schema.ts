import { z } from 'zod';
import { MAX_ATTACHMENTS } from '@/lib/conversations/attachment-rules';

export { MAX_ATTACHMENTS };

const textPart = z.object({ type: z.literal('text'), text: z.string() });
/**
 * A file as the AI SDK sends it. Its type and size are not judged here: `checkAttachments`
 * answers 413 naming the size limit and 415 naming the accepted types, which a field error cannot.
 */
const filePart = z.object({
  type: z.literal('file'),
  mediaType: z.string().max(255, 'must be at most 255 characters'),
  filename: z.string().min(1).max(255).optional(),
  url: z.string().regex(/^data:[^;,]+;base64,[A-Za-z0-9+/=]*$/, 'must be a base64 data URL'),
});

export function chatRequestSchema(maxMessageChars: number) {
  return z.object({
    conversationId: z.uuid({ message: 'must be a conversation id (UUID)' }).optional(),
    /** Where the team should reply by email (asked for when the customer leaves a message). */
    contactEmail: z
      .email({ message: 'must be an email address such as you@example.com' })
      .max(254)
      .optional(),
    message: z.object({
      id: z.string().min(1).max(100),
      role: z.literal('user'),
      parts: z
        .array(z.discriminatedUnion('type', [textPart, filePart]))
        .min(1)
        .transform((parts) => ({
          text: parts
            .flatMap((p) => (p.type === 'text' ? [p.text] : []))
            .join('\n')
            .trim(),
          files: parts.flatMap((p) =>
            p.type === 'file'
              ? [
                  {
                    filename: p.filename ?? 'attachment',
                    mediaType: p.mediaType,
                    bytes: Buffer.from(p.url.slice(p.url.indexOf(',') + 1), 'base64'),
                  },
                ]
              : [],
          ),
        }))
        .pipe(
          z
            .object({
              text: z
                .string()
                .max(maxMessageChars, `must be at most ${maxMessageChars} characters`),
              files: z
                .array(z.any())
                .max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} files per message`),
            })
            .refine((m) => m.text.length > 0 || m.files.length > 0, 'must not be empty'),
        ),
    }),
  });
}
