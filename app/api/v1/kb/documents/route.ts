import { z } from 'zod';
import { addApiDocument, listApiDocuments } from '@/lib/api/knowledge';
import { kbDocumentBody } from '@/lib/api/schemas';
import { invalidInput, TandemError } from '@/lib/errors';
import { readJsonBody } from '../../../read-json-body';
import { readUploadForm } from '../../../read-upload';
import { apiRoute } from '../../api-route';

const listQuery = z.object({ q: z.string().max(200).default('') });

export const GET = apiRoute('read', async ({ app, request }) => {
  const parsed = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('api', parsed.error);
  return Response.json(await listApiDocuments(app, parsed.data.q));
});

/** A file (multipart field `file`), a web address (`{url}`) or Markdown (`{title, content}`). */
export const POST = apiRoute('write', async ({ app, request }) => {
  const type = request.headers.get('content-type') ?? '';
  const maxBytes = app.config.kb.maxUploadBytes;
  let input: Parameters<typeof addApiDocument>[1];
  if (type.startsWith('multipart/form-data')) {
    const upload = await readUploadForm(request, maxBytes);
    input = { file: upload.file, category: upload.category ?? undefined };
  } else if (type.startsWith('application/json')) {
    input = await readJsonBody(request, kbDocumentBody, {
      surface: 'api',
      maxBytes: maxBytes + 4096,
    });
  } else {
    throw new TandemError(
      'unsupported_media_type:api',
      'Send a file as multipart/form-data (field "file"), or JSON {"url"} or {"title", "content"}.',
    );
  }
  return Response.json(await addApiDocument(app, input), { status: 201 });
});
