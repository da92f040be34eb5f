/**
 * The few numbers that decide how the retrievers' evidence is weighed. They are properties of
 * the method, not of one help center: the defaults were chosen by cross-validation over the
 * development retrieval sets (`npm run eval -- retrieval`, which also reports how they fare on
 * held-out folds) and are the same for every knowledge base.
 */
export interface RetrievalSettings {
  /** The vector retriever's vote in rank fusion, against 1 for BM25F. */
  vectorWeight: number;
  /** Weight of a support-desk synonym against 1 for the customer's own word. */
  synonymWeight: number;
  /** Weight of a Chinese character bigram in ranking, against 1 for a single character. */
  hanBigramWeight: number;
  /** BM25F: a title match against 1 for the body (section headings count half of it). */
  titleWeight: number;
  /** Weight of two adjacent words matched as a phrase, against 1 for each word alone. */
  phraseWeight: number;
  /** Reranker: how much a chunk's heading restated by the question counts. */
  headingWeight: number;
  /** Reranker: how much the fused rank counts beside the relative BM25F score. */
  fusionWeight: number;
  /** Reranker: how much the rescaled cosine similarity counts. */
  similarityWeight: number;
}

export const DEFAULT_RETRIEVAL_SETTINGS: Readonly<RetrievalSettings> = {
  vectorWeight: 0.5,
  synonymWeight: 0.5,
  hanBigramWeight: 0.5,
  titleWeight: 3,
  phraseWeight: 0,
  headingWeight: 0.6,
  fusionWeight: 0.5,
  similarityWeight: 0,
};

/** The values cross-validation tries for each setting (the defaults among them). */
export const RETRIEVAL_SETTING_CHOICES: Readonly<Record<keyof RetrievalSettings, number[]>> = {
  vectorWeight: [0.25, 0.5, 1, 1.5],
  synonymWeight: [0, 0.25, 0.5, 0.75],
  hanBigramWeight: [0.25, 0.5, 0.75, 1],
  titleWeight: [2, 3, 5, 8],
  phraseWeight: [0, 0.25, 0.5, 1],
  headingWeight: [0, 0.3, 0.6, 1],
  fusionWeight: [0, 0.25, 0.5, 1, 2],
  similarityWeight: [0, 0.5, 1, 2],
};

export function retrievalSettings(
  overrides: Partial<RetrievalSettings> = {},
): Readonly<RetrievalSettings> {
  return { ...DEFAULT_RETRIEVAL_SETTINGS, ...overrides };
}
