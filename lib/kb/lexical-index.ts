import MiniSearch from 'minisearch';
import { toTermSet, toTerms } from '@/lib/text/terms';
import type { IndexedChunk } from './queries';

export interface LexicalHit {
  chunk: IndexedChunk;
  /** BM25 score: comparable within one query only. */
  score: number;
  /** Share of the query's content (IDF-weighted) that this passage covers, 0..1. */
  coverage: number;
}

/**
 * BM25 ranking (MiniSearch) over title, section and text of every chunk, plus the document
 * frequencies needed to say how much of a question a passage actually answers: BM25 scores
 * cannot be compared across questions, coverage can, so coverage drives abstention.
 */
export class LexicalIndex {
  private readonly search: MiniSearch<IndexedChunk & { section: string }>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly chunkTerms = new Map<string, Set<string>>();
  private readonly chunks = new Map<string, IndexedChunk>();

  constructor(chunks: IndexedChunk[]) {
    this.search = new MiniSearch({
      fields: ['title', 'section', 'content'],
      tokenize: (text) => toTerms(text),
      processTerm: (term) => term,
    });
    this.search.addAll(chunks.map((chunk) => ({ ...chunk, section: chunk.sectionPath })));
    for (const chunk of chunks) {
      const terms = toTermSet(`${chunk.title}\n${chunk.sectionPath}\n${chunk.content}`);
      this.chunks.set(chunk.id, chunk);
      this.chunkTerms.set(chunk.id, terms);
      for (const term of terms) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
  }

  get size(): number {
    return this.chunks.size;
  }

  query(text: string, limit: number): LexicalHit[] {
    const queryTerms = [...toTermSet(text)];
    if (queryTerms.length === 0) return [];
    const weights = queryTerms.map((term) => this.idf(term));
    const totalWeight = weights.reduce((sum, w) => sum + w, 0);

    return this.search
      .search(queryTerms.join(' '), { boost: { title: 2, section: 1.5 }, combineWith: 'OR' })
      .slice(0, limit)
      .map((result) => {
        const id = String(result.id);
        const terms = this.chunkTerms.get(id) ?? new Set();
        const covered = queryTerms.reduce(
          (sum, term, i) => sum + (terms.has(term) ? weights[i]! : 0),
          0,
        );
        return {
          chunk: this.chunks.get(id)!,
          score: result.score,
          coverage: covered / totalWeight,
        };
      });
  }

  private idf(term: string): number {
    const n = this.chunks.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}
