import type { z } from 'zod';
import { invalidInput, TandemError } from '@/lib/errors';

/**
 * Reads a JSON body no larger than maxBytes and validates it, so an oversized or malformed
 * request is refused before anything is stored.
 */
export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  { surface, maxBytes }: { surface: string; maxBytes: number },
): Promise<z.infer<T>> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(surface, maxBytes);
  const raw = await request.text();
  if (Buffer.byteLength(raw) > maxBytes) throw tooLarge(surface, maxBytes);

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new TandemError(`bad_request:${surface}`, 'The request body is not valid JSON.');
  }
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
