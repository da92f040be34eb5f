import type { z } from 'zod';
import { invalidInput, TandemError } from '@/lib/errors';
import { refuseUnsafeText } from '@/lib/text/unsafe-text';

/**
 * Reads a JSON body no larger than maxBytes and validates it, so an oversized or malformed
 * request is refused before anything is stored. Text that cannot be stored (U+0000, a lone
 * surrogate) is refused here, naming the field, whatever the schema says.
 */
export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  { surface, maxBytes }: { surface: string; maxBytes: number },
): Promise<z.infer<T>> {
  return parseJsonBody(await readBodyText(request, { surface, maxBytes }), schema, surface);
}

/** The body as text, refused (413) beyond maxBytes, by its declared length or its real one. */
export async function readBodyText(
  request: Request,
  { surface, maxBytes }: { surface: string; maxBytes: number },
): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(surface, maxBytes);
  if (!request.body) return '';
  // Read in chunks and stop at the limit, so a body without a length is not buffered whole.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(surface, maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** JSON text parsed, checked for unstorable text, then validated by `schema`. */
export function parseJsonBody<T extends z.ZodType>(
  raw: string,
  schema: T,
  surface: string,
): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new TandemError(`bad_request:${surface}`, 'The request body is not valid JSON.');
  }
  refuseUnsafeText(json, surface);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidInput(surface, parsed.error);
  return parsed.data;
}

function tooLarge(surface: string, maxBytes: number) {
  return new TandemError(
    `payload_too_large:${surface}`,
    `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`,
  );
}
