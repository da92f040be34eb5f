import { z } from 'zod';
import { addApiDocument, listApiDocuments } from '@/app/api/v1/_lib/knowledge';
import { kbDocumentBody } from '@/app/api/v1/_lib/schemas';
import { readUploadForm } from '../../../read-upload';
import { apiRoute } from '../../api-route';

const listQuery = z.object({ q: z.string().max(200).default('') });

export const GET = apiRoute({ scope: 'read', query: listQuery }, async ({ app, query }) =>
  Response.json(await listApiDocuments(app, query.q)),
);

/** A file (multipart field `file`), a web address (`{url}`) or Markdown (`{title, content}`). */
export const POST = apiRoute(
  {
    scope: 'write',
    accepts: 'multipart',
    body: kbDocumentBody,
    maxBytes: ({ kb }) => kb.maxUploadBytes + 4096,
  },
  async ({ app, request, body }) => {
    let input: Parameters<typeof addApiDocument>[1];
    if (body) {
      input = body;
    } else {
      const upload = await readUploadForm(request, app.config.kb.maxUploadBytes);
      input = { file: upload.file, category: upload.category ?? undefined };
    }
    return Response.json(await addApiDocument(app, input), { status: 201 });
  },
);
