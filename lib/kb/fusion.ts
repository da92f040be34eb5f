export interface Ranking {
  /** Ids best first. */
  ids: readonly string[];
  /** How much this ranker's votes count relative to the others (1 = equal). */
  weight?: number;
}

export interface FusedItem {
  id: string;
  score: number;
}

/** The k of Cormack et al. (2009): damps the gap between the very top ranks. */
export const RRF_K = 60;

/**
 * Reciprocal-rank fusion: each ranking gives an item weight / (k + rank), summed over rankings.
 * Ranks, not scores, are combined, so BM25 scores and cosine similarities never have to be put on
 * one scale. Ties keep the order of first appearance, so fusion is deterministic.
 */
export function fuseRankings(rankings: readonly Ranking[], k = RRF_K): FusedItem[] {
  const scores = new Map<string, number>();
  for (const { ids, weight = 1 } of rankings) {
    ids.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
