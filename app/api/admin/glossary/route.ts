import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import { formatGlossary, getGlossary, parseGlossary, saveGlossary } from '@/lib/kb/glossary';
import { staffRoute } from '../../staff-route';

const body = z.object({ text: z.string().max(200_000) });

/** The bilingual glossary that lets a Chinese question find an English article offline. */
export const GET = staffRoute({ role: 'admin', surface: 'glossary' }, async ({ app }) => {
  const glossary = await getGlossary(app.database.db);
  return Response.json({ entries: glossary.length, text: formatGlossary(glossary) });
});

export const PUT = staffRoute(
  { role: 'admin', surface: 'glossary', body, maxBytes: 256 * 1024 },
  async ({ app, body: { text } }) => {
    let glossary: ReturnType<typeof parseGlossary>;
    try {
      glossary = parseGlossary(text);
    } catch (error) {
      throw new TandemError(
        'bad_request:glossary',
        error instanceof Error ? error.message : 'The glossary is not valid.',
      );
    }
    await saveGlossary(app.database.db, glossary);
    return Response.json({ entries: glossary.length, text: formatGlossary(glossary) });
  },
);
