/** A document as the admin API lists it. */
export interface DocumentListing {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  category: string | null;
  language: string;
  sourceType: string;
  origin: string | null;
  chunks: number;
  characters: number;
  updatedAt: string;
}

export interface DocumentDetail extends DocumentListing {
  content: string;
}

export type IndexStage = 'extracting' | 'chunking' | 'embedding' | 'storing' | 'done';

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
