import type { IngestProgress } from '@/lib/kb/ingest';
import type { DocumentListing as StoredListing } from '@/lib/kb/queries';
import type { OverJson } from '@/lib/over-json';

/** A document as the admin API lists it. */
export type DocumentListing = OverJson<StoredListing>;

export type DocumentDetail = DocumentListing & { content: string };

export type IndexStage = IngestProgress['stage'];

export interface AddResult {
  document: DocumentListing;
  changed: boolean;
  replaced: boolean;
}

export const SOURCE_LABELS: Record<string, string> = {
  markdown: 'Markdown',
  text: 'Text',
  html: 'HTML',
  pdf: 'PDF',
  docx: 'Word',
  url: 'Web page',
};
