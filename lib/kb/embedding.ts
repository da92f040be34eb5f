import type { EmbeddingModel } from 'ai';
import type { ModelConfig } from '@/lib/config';
import {
  createSentenceEncoder,
  type HostedEncoderOptions,
  hostedSentenceEncoder,
  type LocalSentenceEncoderName,
  type SentenceEncoder,
} from '@/lib/text/sentence-encoder';
import { isCjk, toSearchTerms, wordsOf } from '@/lib/text/terms';
import { loadWordVectors, type WordVectors } from '@/lib/text/word-vectors';

/**
 * Turns text into vectors for the vector store. Queries and documents are embedded separately
 * because some models treat them differently (instruction-tuned ones prefix them).
 */
export interface TextEmbedder {
  /** Names the model and its settings: vectors made under different ids are not comparable. */
  readonly id: string;
  /**
   * Cosine similarity this model typically gives an unrelated passage and one that answers the
   * question: the anchors that turn a similarity into a 0..1 relevance for confidence.
   */
  readonly similarityAnchors: { unrelated: number; related: number };
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

export interface HashedEmbedderOptions {
  dimensions?: number;
  /**
   * Pretrained English word vectors whose SIF-weighted mean is appended, scaled by
   * `semanticWeight`: n-grams catch spelling, the word vectors catch meaning ("purchase" near
   * "order"), which is what lexical search cannot.
   */
  wordVectors?: WordVectors;
  semanticWeight?: number;
}

const WORD_WEIGHT = 1;
const CHAR_GRAM_WEIGHT = 0.5;

/**
 * The offline embedding: hashed features projected onto a fixed number of signed dimensions
 * (the "hashing trick"), then L2-normalised. Features are stemmed content words, and character
 * 3–5-grams of each word so a misspelling ("pasword") or another form of a word still lands
 * close; Chinese contributes its characters, bigrams and trigrams.
 *
 * It has no fitted state at all: a vector is a pure function of the text and the dimension
 * count, so indexing one article never changes another's vector, restarts refit nothing, and
 * every instance embeds alike. (Weighting features by corpus rarity was measured and did not
 * help: BM25 already supplies rarity on the lexical side of the fusion.) 256 dimensions keep
 * pgvector's exact scan inside PGlite near a millisecond for a few thousand chunks; 512 measured
 * no better.
 */
export function createHashedEmbedder({
  dimensions = 256,
  wordVectors,
  semanticWeight = 0,
}: HashedEmbedderOptions = {}): TextEmbedder {
  const semantic = wordVectors && semanticWeight > 0 ? wordVectors : null;
  const embed = (text: string) => {
    const vector = new Float64Array(dimensions + (semantic?.dimensions ?? 0));
    for (const [feature, count] of featureCounts(text)) {
      const weight = featureWeight(feature) * (1 + Math.log(count));
      const hash = fnv1a(feature);
      vector[hash % dimensions]! += hash & 0x80000000 ? -weight : weight;
    }
    if (semantic) {
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += vector[d]! * vector[d]!;
      const lexicalScale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < dimensions; d++) vector[d]! *= lexicalScale;
      const words = wordsOf(text)
        .filter((w) => !isCjk(w))
        .map((w) => w.toLowerCase());
      const meaning = semantic.averageVector(words);
      if (meaning) {
        for (let d = 0; d < semantic.dimensions; d++)
          vector[dimensions + d] = semanticWeight * meaning[d]!;
      }
    }
    return normalise(vector);
  };

  return {
    id: semantic
      ? `tandem-hashed-ngrams-v1:${dimensions}+words-${semantic.dimensions}x${semanticWeight}`
      : `tandem-hashed-ngrams-v1:${dimensions}`,
    similarityAnchors: { unrelated: 0.05, related: 0.45 },
    async embedDocuments(texts) {
      return texts.map(embed);
    },
    async embedQuery(text) {
      return embed(text);
    },
  };
}

function featureWeight(feature: string): number {
  return feature.charCodeAt(0) === 119 /* w */ ? WORD_WEIGHT : CHAR_GRAM_WEIGHT;
}

/** Features of a text with their counts: `w:` words and `c:` character n-grams. */
function featureCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  for (const word of wordsOf(text)) {
    if (isCjk(word)) {
      const chars = [...word];
      for (let i = 0; i < chars.length; i++) {
        add(`c:${chars[i]}`);
        if (i + 1 < chars.length) add(`w:${chars[i]}${chars[i + 1]}`);
        if (i + 2 < chars.length) add(`c:${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
      }
      continue;
    }
    const stems = toSearchTerms(word);
    if (stems.length === 0) continue;
    for (const stem of stems) add(`w:${stem}`);
    if (word.length < 3) continue;
    const padded = `<${word}>`;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
    }
  }
  return counts;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function normalise(vector: Float64Array): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Array.from(vector, (value) => value * scale);
}

/** Measured on the development retrieval sets: meaning helps most at about 4× the n-grams. */
const OFFLINE_SEMANTIC_WEIGHT = 4;

/** Tandem's built-in embedding: hashed n-grams plus the shipped English word vectors. */
export function createOfflineEmbedder(): TextEmbedder {
  return createHashedEmbedder({
    wordVectors: loadWordVectors(),
    semanticWeight: OFFLINE_SEMANTIC_WEIGHT,
  });
}

export interface AiSdkEmbedderOptions extends HostedEncoderOptions {}

/**
 * A hosted embedding model through the AI SDK (e.g. `openai.embedding('text-embedding-3-small')`).
 * Customers' questions (and any contact details in articles) leave redacted.
 */
export function createAiSdkEmbedder(
  model: EmbeddingModel,
  options: AiSdkEmbedderOptions = {},
): TextEmbedder {
  return encoderEmbedder(hostedSentenceEncoder(model, options), HOSTED_ANCHORS);
}

// OpenAI's text-embedding-3 family: unrelated text sits near 0.1, a paraphrase above 0.5.
const HOSTED_ANCHORS = { unrelated: 0.15, related: 0.55 };

/**
 * How much of the combined vector the hashed n-grams and word vectors carry beside a sentence
 * encoder: they keep spellings, names and codes the encoder blurs. Chosen on the development
 * retrieval sets (StackExchange FAQ, Bitext) by cross-validation.
 */
const LEXICAL_SHARE_BESIDE_ENCODER = 0.5;

/**
 * The offline embedding side by side with a local sentence encoder (Universal Sentence Encoder
 * lite): both unit vectors, concatenated with the encoder weighted up, so cosine is a weighted
 * sum of the two similarities.
 */
export function createEncoderEmbedder(
  encoder: SentenceEncoder,
  { lexicalShare = LEXICAL_SHARE_BESIDE_ENCODER }: { lexicalShare?: number } = {},
): TextEmbedder {
  const lexical = createOfflineEmbedder();
  const embed = async (texts: string[]) => {
    const [meanings, grams] = await Promise.all([
      encoder.encode(texts),
      lexical.embedDocuments(texts),
    ]);
    return meanings.map((meaning, i) => {
      const gram = grams[i]!;
      const vector = new Float64Array(gram.length + meaning.length);
      const a = Math.sqrt(lexicalShare);
      const b = Math.sqrt(1 - lexicalShare);
      for (let d = 0; d < gram.length; d++) vector[d] = a * gram[d]!;
      for (let d = 0; d < meaning.length; d++) vector[gram.length + d] = b * meaning[d]!;
      return normalise(vector);
    });
  };
  return {
    id: `${lexical.id}+${encoder.id}x${lexicalShare}`,
    similarityAnchors: { unrelated: 0.1, related: 0.55 },
    embedDocuments: embed,
    async embedQuery(text) {
      return (await embed([text]))[0]!;
    },
  };
}

function encoderEmbedder(
  encoder: SentenceEncoder,
  similarityAnchors: TextEmbedder['similarityAnchors'],
): TextEmbedder {
  return {
    id: encoder.id,
    similarityAnchors,
    async embedDocuments(texts) {
      return (await encoder.encode(texts)).map((v) => Array.from(v));
    },
    async embedQuery(text) {
      return Array.from((await encoder.encode([text]))[0]!);
    },
  };
}

const DEFAULT_OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

/**
 * The embedder for a configuration: the provider's embedding model behind an API key ("offline"
 * as the model id keeps the built-in one, for OpenAI-compatible servers that serve no
 * embeddings); else the built-in embedding, with the local sentence encoder beside it when
 * enabled.
 */
export async function createTextEmbedder(
  config: ModelConfig,
  {
    embeddingModel = DEFAULT_OPENAI_EMBEDDING_MODEL,
    localEncoder = 'none',
  }: { embeddingModel?: string; localEncoder?: LocalSentenceEncoderName } = {},
): Promise<TextEmbedder> {
  const encoder = await createSentenceEncoder({ model: config, embeddingModel, localEncoder });
  if (!encoder) return createOfflineEmbedder();
  if (encoder.hosted) return encoderEmbedder(encoder, HOSTED_ANCHORS);
  return createEncoderEmbedder(encoder);
}
