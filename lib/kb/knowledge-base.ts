import type { RerankingModel } from 'ai';
import type { Database } from '@/db/client';
import { log } from '@/lib/log';
import { type ChunkOptions, chunkMarkdown } from './chunk';
import { type ConfidenceFeatures, estimateConfidence, rescaleSimilarity } from './confidence';
import type { TextEmbedder } from './embedding';
import { fuseRankings } from './fusion';
import { LexicalIndex } from './lexical-index';
import {
  deleteDocumentById,
  getDocumentBySlug,
  getKnowledgeBaseVersion,
  getStoredEmbedderId,
  type IndexedChunk,
  isUnchanged,
  listDocumentIds,
  listIndexedChunks,
  replaceArticle,
  setStoredEmbedderId,
} from './queries';
import { type CandidateFeatures, rankCandidates, rerankWithModel } from './rerank';
import { type RetrievalSettings, retrievalSettings } from './retrieval-settings';
import type { IndexProgress, KnowledgeBase, Passage, Retrieval } from './types';
import type { ListableVectorStore } from './vector-store/memory-store';
import type { VectorHit, VectorPoint, VectorStore } from './vector-store/types';

export interface KnowledgeBaseOptions {
  db: Database;
  vectors: VectorStore;
  embedder: TextEmbedder;
  chunking?: ChunkOptions;
  /** A hosted reranking model (AI SDK); without one the local cross-feature reranker decides. */
  reranker?: RerankingModel;
  /** How the retrievers' evidence is weighed; the cross-validated defaults when left out. */
  settings?: Partial<RetrievalSettings>;
  /**
   * How long the knowledge base's version, once read, is trusted before a question reads it
   * again: how soon writes by other instances are seen. This instance's own writes count at once.
   */
  versionCheckIntervalMs?: number;
}

export interface RetrieveOptions {
  limit?: number;
  category?: string;
}

/** Chunks each retriever contributes to fusion. */
const RETRIEVER_DEPTH = 50;
/** Fused candidates the reranker scores. */
const RERANK_DEPTH = 30;
/**
 * The passages whose articles the confidence judges: as many as it was calibrated on (lib/kb/
 * confidence.ts), however many more an answer is handed.
 */
const JUDGED_PASSAGES = 4;
/** Chunks embedded per model call while indexing. */
const EMBED_BATCH = 64;
/** Reading the version costs a query per question; a second's delay for other writers does not matter. */
const VERSION_CHECK_INTERVAL_MS = 1000;

interface IndexState {
  version: string;
  lexical: LexicalIndex;
}

/**
 * The knowledge base over the kb_documents/kb_chunks tables, a vector store and an embedding
 * model: hybrid retrieval (BM25F + vectors, reciprocal-rank fusion, local or model reranking)
 * with a calibrated confidence.
 *
 * The lexical index lives in memory and is rebuilt when the KB version (document count and
 * newest update) changes, read again by a question once `versionCheckIntervalMs` has passed, so
 * writes by other instances are seen within it; this instance's own writes drop the cache at
 * once. On each rebuild the
 * vector store is brought in line with kb_chunks: chunks without a vector (documents seeded
 * straight into the tables, an in-process store after a restart, an interrupted write) are
 * embedded then, and a change of embedding model re-embeds everything.
 */
export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { db, vectors, embedder, chunking, reranker } = options;
  const settings = retrievalSettings(options.settings);
  const versionCheckInterval = options.versionCheckIntervalMs ?? VERSION_CHECK_INTERVAL_MS;
  let state: IndexState | undefined;
  let versionReadAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<IndexState> | undefined;
  let storeDimensions: number | undefined;

  let modelChecked: Promise<void> | undefined;

  /** Every read and write of vectors waits for this, so none races the model check. */
  const ensureStore = async (dimensions: number) => {
    if (storeDimensions !== dimensions) {
      await vectors.ensureReady(dimensions);
      storeDimensions = dimensions;
    }
    modelChecked ??= dropOtherModelsVectors();
    await modelChecked;
  };

  /**
   * A persistent store may hold vectors another embedding model made (the configuration
   * changed): they cannot be compared with this model's, so they go, and the next sync embeds
   * every chunk again. The model's id is kept in app_settings for this check.
   */
  const dropOtherModelsVectors = async () => {
    if (vectors.kind === 'memory') return;
    const storedId = await getStoredEmbedderId(db);
    if (storedId === embedder.id) return;
    if (storedId !== null || (await vectors.count()) > 0) {
      log.warn(
        { from: storedId, to: embedder.id },
        'the embedding model changed: knowledge-base chunks will be embedded again',
      );
      for (const documentId of await listDocumentIds(db))
        await vectors.deleteByDocument(documentId);
    }
    await setStoredEmbedderId(db, embedder.id);
  };

  const storeVectors = async (chunks: IndexedChunk[], embeddings: number[][]) => {
    if (chunks.length === 0) return;
    await ensureStore(embeddings[0]!.length);
    await vectors.upsert(chunks.map((chunk, i) => toPoint(chunk, embeddings[i]!)));
  };

  const embedChunks = async (
    chunks: { title: string; sectionPath: string; content: string }[],
    onBatch?: (done: number) => void,
  ) => {
    const embeddings: number[][] = [];
    for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
      const batch = chunks.slice(start, start + EMBED_BATCH).map(embeddingText);
      embeddings.push(...(await embedder.embedDocuments(batch)));
      onBatch?.(embeddings.length);
    }
    return embeddings;
  };

  /**
   * Embeds the chunks the vector store lacks; where the store can list what it holds, only
   * those, and vectors of chunks gone meanwhile (deleted by another instance) are dropped.
   */
  const syncVectors = async (chunks: IndexedChunk[]) => {
    if (chunks.length === 0) return;
    // The store is created for the model's size before anything asks it what it holds.
    const dimensions =
      storeDimensions ?? (await embedder.embedDocuments([embeddingText(chunks[0]!)]))[0]!.length;
    await ensureStore(dimensions);
    let missing: IndexedChunk[];
    if (isListable(vectors)) {
      const stored = await vectors.listIds();
      const current = new Set(chunks.map((chunk) => chunk.id));
      const orphans = [...stored].filter((id) => !current.has(id));
      if (orphans.length > 0) await vectors.deleteIds(orphans);
      missing = chunks.filter((chunk) => !stored.has(chunk.id));
    } else {
      missing = (await vectors.count()) >= chunks.length ? [] : chunks;
    }
    if (missing.length === 0) return;
    const started = Date.now();
    await storeVectors(missing, await embedChunks(missing));
    log.info(
      { chunks: missing.length, store: vectors.kind, ms: Date.now() - started },
      'embedded knowledge-base chunks that had no vector',
    );
  };

  const rebuild = async (version: string): Promise<IndexState> => {
    const chunks = await listIndexedChunks(db);
    const lexical = new LexicalIndex(chunks, settings);
    vectors.refresh?.();
    try {
      await syncVectors(chunks);
    } catch (error) {
      // Keyword search still answers; the next rebuild tries the vectors again.
      log.warn({ err: error, store: vectors.kind }, 'could not bring the vector store up to date');
    }
    return { version, lexical };
  };

  const loadState = async (): Promise<IndexState> => {
    if (state && Date.now() - versionReadAt < versionCheckInterval) return state;
    const version = await getKnowledgeBaseVersion(db);
    versionReadAt = Date.now();
    if (state?.version === version) return state;
    loading ??= rebuild(version).finally(() => {
      loading = undefined;
    });
    const loaded = await loading;
    state = loaded;
    return loaded;
  };

  const searchVectors = async (question: string, category?: string): Promise<VectorHit[]> => {
    try {
      const query = await embedder.embedQuery(question);
      await ensureStore(query.length);
      return await vectors.search(query, { limit: RETRIEVER_DEPTH, category });
    } catch (error) {
      log.warn({ err: error, store: vectors.kind }, 'vector search failed; using keywords only');
      return [];
    }
  };

  return {
    embedder,
    async indexArticle(article, { onProgress } = {}) {
      const report = (progress: IndexProgress) => onProgress?.(progress);
      report({ stage: 'chunking', done: 0, total: 1 });
      const existing = await getDocumentBySlug(db, article.slug);
      if (existing && isUnchanged(existing, article)) {
        report({ stage: 'done', done: 1, total: 1 });
        return { document: existing, changed: false };
      }
      const chunks = chunkMarkdown(article.body, chunking);
      report({ stage: 'chunking', done: 1, total: 1 });

      // Embedded before the transaction, so a slow embedding model never holds row locks. If the
      // model fails the article is still stored and searchable by keywords; the next index
      // rebuild embeds the chunks it missed.
      report({ stage: 'embedding', done: 0, total: chunks.length });
      const embeddings = await embedChunks(
        chunks.map((chunk) => ({ ...chunk, title: article.title })),
        (done) => report({ stage: 'embedding', done, total: chunks.length }),
      ).catch((error: unknown) => {
        log.warn(
          { err: error, slug: article.slug },
          'could not embed the article; stored without vectors',
        );
        return [];
      });

      report({ stage: 'storing', done: 0, total: chunks.length });
      const stored = await replaceArticle(db, article, chunks);
      if (stored.changed) {
        state = undefined;
        if (embeddings.length > 0) await ensureStore(embeddings[0]!.length);
        // Stores without foreign keys (in-process, Qdrant) still hold the old chunks' vectors.
        await vectors.deleteByDocument(stored.document.id);
        if (embeddings.length === stored.chunks.length)
          await storeVectors(stored.chunks, embeddings);
      }
      report({ stage: 'storing', done: chunks.length, total: chunks.length });
      report({ stage: 'done', done: 1, total: 1 });
      return { document: stored.document, changed: stored.changed };
    },

    async deleteDocument(documentId) {
      const deleted = await deleteDocumentById(db, documentId);
      await vectors.deleteByDocument(documentId);
      if (deleted) state = undefined;
      return deleted;
    },

    async retrieve(question, { limit = 4, category }: RetrieveOptions = {}): Promise<Retrieval> {
      if (!question.trim()) return { passages: [], confidence: 0 };
      // On a server pool the vector search runs while the version is checked; a store that
      // searches a copy waits for it, since a new version refreshes the copy first.
      const searching = vectors.refresh ? undefined : searchVectors(question, category);
      const { lexical } = await loadState();
      const vectorHits = await (searching ?? searchVectors(question, category));
      if (lexical.size === 0) return { passages: [], confidence: 0 };
      const query = lexical.prepare(question, settings);
      const filter =
        category === undefined ? undefined : (c: IndexedChunk) => c.category === category;
      const lexicalHits = lexical.query(query, RETRIEVER_DEPTH, filter);
      // A vector hit may name a chunk this instance has not loaded yet (written a moment ago).
      const knownVectorHits = vectorHits.filter((hit) => lexical.chunk(hit.id));
      const fused = fuseRankings([
        { ids: lexicalHits.map((hit) => hit.chunk.id) },
        { ids: knownVectorHits.map((hit) => hit.id), weight: settings.vectorWeight },
      ]).slice(0, Math.max(RERANK_DEPTH, limit));

      const lexicalScores = new Map(lexicalHits.map((hit) => [hit.chunk.id, hit.score]));
      const similarities = new Map(knownVectorHits.map((hit) => [hit.id, hit.score]));
      const candidates: CandidateFeatures[] = fused.map(({ id, score }) => ({
        id,
        lexicalScore: lexicalScores.get(id) ?? 0,
        similarity: similarities.get(id),
        fused: score,
        coverage: lexical.coverage(query, id),
        headingMatch: lexical.headingMatch(query, id),
      }));
      const rescale = (similarity: number) =>
        rescaleSimilarity(similarity, embedder.similarityAnchors);
      let ranked = rankCandidates(candidates, settings, rescale);
      if (reranker) {
        try {
          ranked = await rerankWithModel(reranker, question, ranked, (c) =>
            embeddingText(lexical.chunk(c.id)!),
          );
        } catch (error) {
          log.warn({ err: error }, 'reranking model failed; keeping the local ranking');
        }
      }

      const passages: Passage[] = ranked.slice(0, limit).map((candidate) => ({
        ...lexical.chunk(candidate.id)!,
        score: candidate.score,
        coverage: candidate.coverage,
      }));
      if (ranked.length === 0) return { passages, confidence: 0 };
      const documentRank = (ids: string[], documentId: string) => {
        const documents = [...new Set(ids.map((id) => lexical.chunk(id)!.documentId))];
        const rank = documents.indexOf(documentId);
        return rank < 0 ? 0 : 1 / (1 + rank);
      };
      // An answer is grounded in every passage handed over, not only the first: the question is
      // answerable when any of their articles answers it, so each article's best passage is
      // judged and the most confident judgement stands.
      const judged = new Set<string>();
      let confidence = 0;
      let signals: ConfidenceFeatures | undefined;
      for (const candidate of ranked.slice(0, Math.min(limit, JUDGED_PASSAGES))) {
        const documentId = lexical.chunk(candidate.id)!.documentId;
        if (judged.has(documentId)) continue;
        judged.add(documentId);
        const features: ConfidenceFeatures = {
          documentCoverage: lexical.documentCoverage(query, documentId),
          ...lexical.knownCoverage(query, documentId),
          similarity: rescale(candidate.similarity ?? 0),
          rerankScore: candidate.score,
          lexicalAgreement: documentRank(
            lexicalHits.map((hit) => hit.chunk.id),
            documentId,
          ),
          vectorAgreement: documentRank(
            knownVectorHits.map((hit) => hit.id),
            documentId,
          ),
          headingMatch: candidate.headingMatch,
        };
        const estimate = estimateConfidence(features);
        if (!signals || estimate > confidence) {
          confidence = estimate;
          signals = features;
        }
      }
      return { passages, confidence, signals };
    },
  };
}

/** What the embedding model sees of a chunk: where it sits, then what it says. */
function embeddingText(chunk: { title: string; sectionPath: string; content: string }): string {
  return [chunk.title, chunk.sectionPath, chunk.content].filter(Boolean).join('\n');
}

function toPoint(chunk: IndexedChunk, vector: number[]): VectorPoint {
  return {
    id: chunk.id,
    vector,
    payload: {
      documentId: chunk.documentId,
      category: chunk.category,
      language: chunk.language ?? 'en',
    },
  };
}

function isListable(store: VectorStore): store is ListableVectorStore {
  const listable = store as Partial<ListableVectorStore>;
  return typeof listable.listIds === 'function' && typeof listable.deleteIds === 'function';
}
