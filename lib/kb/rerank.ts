import type { RerankingModel } from 'ai';

/** What the retrievers found out about one candidate chunk for one question. */
export interface CandidateFeatures {
  id: string;
  /** BM25F score, 0 when the lexical retriever did not return the chunk. */
  lexicalScore: number;
  /** Cosine similarity, when the vector retriever returned the chunk. */
  similarity?: number;
  /** Reciprocal-rank-fusion score of the chunk. */
  fused: number;
  /** Share of the question (IDF-weighted) the chunk contains, 0..1. */
  coverage: number;
  /** Share of the chunk's title and heading the question asks about, 0..1. */
  headingMatch: number;
}

export interface RankedCandidate extends CandidateFeatures {
  score: number;
}

export interface RerankWeights {
  /** How much of the chunk's heading the question restates. */
  headingWeight: number;
  /** The candidate's fused rank. */
  fusionWeight: number;
  /** Its cosine similarity, rescaled between the embedder's anchors (0..1). */
  similarityWeight: number;
}

/**
 * A cheap cross-feature scorer over the fused candidates: BM25F relative to the best lexical
 * hit, how much of the chunk's heading the question restates (support articles are titled by
 * the question they answer), the candidate's fused rank and its similarity. Rank fusion alone
 * throws away how far ahead the best lexical match is; this keeps it.
 */
export function rankCandidates(
  candidates: readonly CandidateFeatures[],
  weights: RerankWeights,
  rescale: (similarity: number) => number = (s) => s,
): RankedCandidate[] {
  const bestLexical = Math.max(0, ...candidates.map((c) => c.lexicalScore)) || 1;
  const bestFused = Math.max(0, ...candidates.map((c) => c.fused)) || 1;
  return candidates
    .map((candidate) => ({
      ...candidate,
      score:
        candidate.lexicalScore / bestLexical +
        weights.headingWeight * candidate.headingMatch +
        weights.fusionWeight * (candidate.fused / bestFused) +
        weights.similarityWeight * rescale(candidate.similarity ?? 0),
    }))
    .sort((a, b) => b.score - a.score);
}

/**
 * Reorders candidates with a hosted reranking model through the AI SDK (e.g. Cohere's), keeping
 * the model's relevance score. Candidates the model leaves out keep their order after the rest.
 */
export async function rerankWithModel<T extends { id: string }>(
  model: RerankingModel,
  question: string,
  candidates: readonly T[],
  textOf: (candidate: T) => string,
): Promise<(T & { modelScore?: number })[]> {
  if (candidates.length < 2) return [...candidates];
  const { rerank } = await import('ai');
  const { ranking } = await rerank({
    model,
    query: question,
    documents: candidates.map(textOf),
  });
  const seen = new Set<number>();
  const reranked: (T & { modelScore?: number })[] = [];
  for (const { originalIndex, score } of ranking) {
    const candidate = candidates[originalIndex];
    if (!candidate || seen.has(originalIndex)) continue;
    seen.add(originalIndex);
    reranked.push({ ...candidate, modelScore: score });
  }
  candidates.forEach((candidate, index) => {
    if (!seen.has(index)) reranked.push({ ...candidate });
  });
  return reranked;
}
