import { openApiDocument } from '@/app/api/v1/_lib/openapi';

/** The OpenAPI 3.1 document of the public API (public: it describes, it does not grant). */
export function GET(request: Request) {
  return Response.json(openApiDocument(new URL(request.url).origin), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}
