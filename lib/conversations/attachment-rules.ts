/**
 * What a customer may attach to a chat message. Pure data and checks, shared by the server and
 * the widget, so the widget refuses a file before sending it by the same rules as the server.
 * No imports: next.config.mjs reads `maxChatBodyBytes` from here.
 */

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

export const MAX_ATTACHMENTS = 3;

/** Browsers and operating systems often send no type (or a generic one) for these extensions. */
const MEDIA_TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** For the file picker's `accept`: the extensions and the types. */
export const ATTACHMENT_ACCEPT = [
  ...Object.keys(MEDIA_TYPE_BY_EXTENSION).map((e) => `.${e}`),
  ...ATTACHMENT_MEDIA_TYPES,
].join(',');

/** The accepted kinds in words, as the customer knows them. */
export const ACCEPTED_ATTACHMENTS =
  'PDF, Word (.docx), text, Markdown, HTML, PNG, JPEG, GIF or WebP';

/**
 * The type a file is taken as: its declared type when that is one we accept (parameters
 * dropped), else the one its extension names, else the declared type as given.
 */
export function attachmentMediaType(filename: string, declared: string | undefined): string {
  const essence = declared?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (ATTACHMENT_MEDIA_TYPES.includes(essence)) return essence;
  if (essence === 'text/x-markdown') return 'text/markdown';
  const extension = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() ?? '';
  const generic = essence === '' || essence === 'application/octet-stream';
  const byExtension = MEDIA_TYPE_BY_EXTENSION[extension];
  if (byExtension && (generic || essence.startsWith('text/'))) return byExtension;
  return essence || 'application/octet-stream';
}

/** `5 MB`, `512 KB`, `1.5 MB`: sizes as people read them (1 MB = 1,048,576 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / 1024 / 1024;
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

/** The largest chat request body: the text as UTF-8, the files as base64, the JSON around them. */
export function maxChatBodyBytes(limits: {
  maxMessageChars: number;
  maxAttachmentBytes: number;
}): number {
  return (
    limits.maxMessageChars * 4 +
    Math.ceil((limits.maxAttachmentBytes * MAX_ATTACHMENTS * 4) / 3) +
    8192
  );
}

export type AttachmentProblem =
  | { kind: 'too_large'; filename: string; size: number; maxBytes: number }
  | { kind: 'unsupported'; filename: string; mediaType: string }
  | { kind: 'too_many'; maxFiles: number };

/** Why these files cannot be sent, or null: the same rules on both sides of the wire. */
export function findAttachmentProblem(
  files: { filename: string; mediaType: string; size: number }[],
  { maxBytes }: { maxBytes: number },
): AttachmentProblem | null {
  if (files.length > MAX_ATTACHMENTS) return { kind: 'too_many', maxFiles: MAX_ATTACHMENTS };
  for (const file of files) {
    if (file.size > maxBytes) {
      return { kind: 'too_large', filename: file.filename, size: file.size, maxBytes };
    }
    if (!ATTACHMENT_MEDIA_TYPES.includes(file.mediaType)) {
      return { kind: 'unsupported', filename: file.filename, mediaType: file.mediaType };
    }
  }
  return null;
}
