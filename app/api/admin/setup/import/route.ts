import { z } from 'zod';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { readArchive, readSitemap } from '@/lib/kb/import-archive';
import type { UploadedFile } from '@/lib/kb/ingest';
import { addDocument, readUpload, readUrl } from '@/lib/kb/manage-documents';
import { readUploadForm } from '../../../read-upload';
import { staffRoute } from '../../../staff-route';
import { progressResponse } from '../../kb/progress-stream';

const sitemapFields = z.object({
  sitemap: z.url({ protocol: /^https?$/, error: 'must be an http or https address' }).max(2000),
});

/** How much an archive may hold uncompressed, against the upload limit for one file. */
const ARCHIVE_EXPANSION = 10;

type ImportProgress = { stage: 'importing'; done: number; total: number; name: string };

interface Source {
  name: string;
  read: () => ReturnType<typeof readUpload>;
}

/**
 * Brings a whole help center into the knowledge base: a zip of Markdown, HTML (or other
 * documents) as multipart field `file`, or JSON `{ sitemap }` naming a sitemap whose pages are
 * fetched. The archive or sitemap is read first, so a bad one gets its 4xx; then each document is
 * added as an upload would be, and NDJSON progress streams back, ending with what was added and
 * what failed (a failed page does not stop the rest).
 */
export const POST = staffRoute(
  {
    role: 'admin',
    surface: 'kb',
    accepts: 'multipart',
    body: sitemapFields,
    maxBytes: (config) => config.kb.maxUploadBytes,
  },
  async ({ app, request, body }) => {
    const sources = await readSources(app, request, body);
    return progressResponse<ImportProgress>(async (report) => {
      const added: { id: string; title: string; changed: boolean }[] = [];
      const failed: { name: string; message: string }[] = [];
      for (const [index, source] of sources.entries()) {
        report({ stage: 'importing', done: index, total: sources.length, name: source.name });
        try {
          const { document, changed } = await addDocument(app, await source.read());
          added.push({ id: document.id, title: document.title, changed });
        } catch (error) {
          if (!(error instanceof TandemError)) throw error;
          failed.push({ name: source.name, message: error.message });
        }
      }
      report({ stage: 'importing', done: sources.length, total: sources.length, name: '' });
      return { added, failed };
    }, 'importing a help center failed');
  },
);

async function readSources(
  app: AppContext,
  request: Request,
  json: { sitemap: string } | undefined,
): Promise<Source[]> {
  const maxBytes = app.config.kb.maxUploadBytes;
  if (json) {
    const pages = await readSitemap(json.sitemap, {
      allowPrivateNetworks: app.config.kb.allowPrivateUrls,
      maxBytes,
    });
    return pages.map((page) => ({ name: page, read: () => readUrl(app, page) }));
  }
  const upload = await readUploadForm(request, maxBytes);
  const { files } = readArchive(upload.file.bytes, {
    maxFileBytes: maxBytes,
    maxTotalBytes: maxBytes * ARCHIVE_EXPANSION,
  });
  return files.map((file: UploadedFile) => ({
    name: file.filename,
    read: async () => {
      const article = await readUpload(file, maxBytes);
      return upload.category ? { ...article, category: upload.category } : article;
    },
  }));
}
