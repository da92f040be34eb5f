import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { attachments, conversations } from '@/db/schema';
import { type ErrorCode, TandemError } from '@/lib/errors';

export interface AttachmentUpload {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

export interface PreparedAttachment extends AttachmentUpload {
  /** The text the pipeline reads; null for images, which are kept for agents to see. */
  extractedText: string | null;
}

export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const DOCUMENT_MEDIA_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'text/markdown',
  'text/html',
] as const;
export const ATTACHMENT_MEDIA_TYPES: readonly string[] = [
  ...DOCUMENT_MEDIA_TYPES,
  ...IMAGE_MEDIA_TYPES,
];

/** What the model sees of an attachment: enough to help, never the whole of a long document. */
export const ATTACHMENT_EXCERPT_CHARS = 4000;

/**
 * Checks and reads files a customer attached, before anything is stored: a file that is too big,
 * of a type we do not take, or unreadable is refused with the reason, and nothing is kept.
 */
export async function prepareAttachments(
  uploads: AttachmentUpload[],
  { maxBytes }: { maxBytes: number },
): Promise<PreparedAttachment[]> {
  return Promise.all(
    uploads.map(async (upload) => {
      if (upload.bytes.length > maxBytes) {
        throw new TandemError(
          'payload_too_large:attachment',
          `${upload.filename} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
        );
      }
      if (!ATTACHMENT_MEDIA_TYPES.includes(upload.mediaType)) {
        throw new TandemError(
          'unsupported_media_type:attachment',
          `${upload.filename} (${upload.mediaType}) cannot be attached: use PDF, Word (DOCX), text, HTML or an image.`,
        );
      }
      if ((IMAGE_MEDIA_TYPES as readonly string[]).includes(upload.mediaType)) {
        return { ...upload, extractedText: null };
      }
      // Loaded on first use: the PDF, Word and HTML readers are heavy and most messages have no file.
      const { extractDocument } = await import('@/lib/kb/extract');
      try {
        const article = await extractDocument(upload);
        return { ...upload, extractedText: `${article.title}\n\n${article.body}`.trim() };
      } catch (error) {
        if (error instanceof TandemError) {
          // The reader names the problem; the surface is the chat attachment, not the knowledge base.
          throw new TandemError(
            error.code.replace(/:kb$/, ':attachment') as ErrorCode,
            error.message,
          );
        }
        throw error;
      }
    }),
  );
}

/**
 * An attachment's file, for the customer whose conversation it belongs to (customerId), or for
 * staff (null: any conversation).
 */
export async function getAttachmentOrThrow(db: Database, id: string, customerId: string | null) {
  const [row] = await db
    .select({
      filename: attachments.filename,
      mediaType: attachments.mediaType,
      data: attachments.data,
    })
    .from(attachments)
    .innerJoin(conversations, eq(conversations.id, attachments.conversationId))
    .where(
      and(
        eq(attachments.id, id),
        customerId === null ? undefined : eq(conversations.customerId, customerId),
      ),
    );
  if (!row) throw new TandemError('not_found:attachment', 'No attachment of yours has that id.');
  return row;
}
