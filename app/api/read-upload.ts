import { invalidInput, TandemError } from '@/lib/errors';
import { fileTooLarge } from '@/lib/kb/manage-documents';
import { refuseUnsafeText } from '@/lib/text/unsafe-text';
import { uploadFields } from './admin/kb/schemas';

/** Room for the multipart boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * One file from a multipart form (field `file`, optional `category`), size-checked before it is
 * read; its text fields and file name are held to the same text rule as JSON bodies.
 */
export async function readUploadForm(request: Request, maxBytes: number, surface = 'kb') {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes + MULTIPART_OVERHEAD) throw fileTooLarge('The file', maxBytes);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new TandemError(`bad_request:${surface}`, 'The upload is not a readable multipart form.');
  }
  const files = form.getAll('file').filter((value): value is File => typeof value !== 'string');
  if (files.length !== 1) {
    throw new TandemError(
      `bad_request:${surface}`,
      files.length === 0
        ? 'Choose a file to upload (form field "file").'
        : 'Upload one file per request; each file gets its own progress.',
    );
  }
  const file = files[0]!;
  if (file.size > maxBytes) throw fileTooLarge(file.name, maxBytes);
  const text: Record<string, string> = { 'file.name': file.name };
  for (const [name, value] of form.entries()) if (typeof value === 'string') text[name] = value;
  refuseUnsafeText(text, surface);
  const fields = uploadFields.safeParse({ category: form.get('category') ?? undefined });
  if (!fields.success) throw invalidInput(surface, fields.error);
  return {
    category: fields.data.category,
    file: {
      filename: file.name || 'upload',
      mediaType: file.type || undefined,
      bytes: new Uint8Array(await file.arrayBuffer()),
    },
  };
}
