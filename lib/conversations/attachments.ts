import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { attachments, conversations } from '@/db/schema';
import { type ErrorCode, TandemError } from '@/lib/errors';
import {
  ACCEPTED_ATTACHMENTS,
  ATTACHMENT_MEDIA_TYPES,
  type AttachmentProblem,
  attachmentMediaType,
  findAttachmentProblem,
  formatBytes,
  IMAGE_MEDIA_TYPES,
} from './attachment-rules';

export {
  ATTACHMENT_MEDIA_TYPES,
  DOCUMENT_MEDIA_TYPES,
  IMAGE_MEDIA_TYPES,
  MAX_ATTACHMENTS,
} from './attachment-rules';

export interface AttachmentUpload {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

export interface PreparedAttachment extends AttachmentUpload {
  /** The text the pipeline reads; null for images and files without text, kept for agents to see. */
  extractedText: string | null;
}

/** What the model sees of an attachment: enough to help, never the whole of a long document. */
export const ATTACHMENT_EXCERPT_CHARS = 4000;

/**
 * Checks and reads files a customer attached, before anything is stored: a file that is too big
 * (413), of a type we do not take (415), or damaged is refused with the reason, and nothing is kept.
 */
export async function prepareAttachments(
  uploads: AttachmentUpload[],
  { maxBytes }: { maxBytes: number },
): Promise<PreparedAttachment[]> {
  const files = checkAttachments(uploads, { maxBytes });
  return Promise.all(
    files.map(async (upload) => {
      if ((IMAGE_MEDIA_TYPES as readonly string[]).includes(upload.mediaType)) {
        return { ...upload, extractedText: null };
      }
      // Loaded on first use: the PDF, Word and HTML readers are heavy and most messages have no file.
      const { extractDocument, NoReadableTextError } = await import('@/lib/kb/extract');
      try {
        const article = await extractDocument(upload);
        return { ...upload, extractedText: `${article.title}\n\n${article.body}`.trim() };
      } catch (error) {
        // A scan or a page of markup with no words is still worth showing to the team.
        if (error instanceof NoReadableTextError) return { ...upload, extractedText: null };
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
 * The count, size and type rules alone, with each file's type settled from its name when the
 * browser sent none: a 413 naming the limit or a 415 naming the accepted types. Cheap, so routes
 * can call it before anything else happens.
 */
export function checkAttachments(
  uploads: AttachmentUpload[],
  { maxBytes }: { maxBytes: number },
): AttachmentUpload[] {
  const files = uploads.map((upload) => ({
    ...upload,
    mediaType: attachmentMediaType(upload.filename, upload.mediaType),
  }));
  const problem = findAttachmentProblem(
    files.map((f) => ({ filename: f.filename, mediaType: f.mediaType, size: f.bytes.length })),
    { maxBytes },
  );
  if (problem) throw attachmentProblemError(problem);
  return files;
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

/** The server's answer to a problem: 413 naming the limit, 415 naming the accepted types. */
function attachmentProblemError(problem: AttachmentProblem): TandemError {
  switch (problem.kind) {
    case 'too_large':
      return new TandemError(
        'payload_too_large:attachment',
        `${problem.filename} is ${formatBytes(problem.size)}; a file can be at most ${formatBytes(problem.maxBytes)}.`,
        { maxBytes: problem.maxBytes },
      );
    case 'unsupported':
      return new TandemError(
        'unsupported_media_type:attachment',
        `${problem.filename} (${problem.mediaType}) cannot be attached. Attach ${ACCEPTED_ATTACHMENTS}.`,
        { accepted: ATTACHMENT_MEDIA_TYPES },
      );
    case 'too_many':
      return new TandemError(
        'bad_request:attachment',
        `At most ${problem.maxFiles} files can be sent with one message.`,
        { maxFiles: problem.maxFiles },
      );
  }
}
