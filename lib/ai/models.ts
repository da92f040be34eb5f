import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { LanguageModel } from 'ai';
import type { ModelConfig } from '@/lib/config';
import { OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from './offline/model-id';
import { withPiiRedaction } from './redacting-model';

/** The answering model: the built-in offline one, or any OpenAI-compatible server when configured. */
export async function createAnswerModel(config: ModelConfig): Promise<LanguageModel> {
  if (config.provider === 'offline') return lazyOfflineModel(config.tokenDelayMs);
  // Imported only when used: importing it builds a default provider from OPENAI_* variables.
  const { createOpenAI } = await import('@ai-sdk/openai');
  const openai = createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL });
  // Personal data never leaves for the external model (PDPA / GDPR).
  return withPiiRedaction(
    config.baseURL ? openai.chat(config.model) : openai(config.model),
    config.redactPatterns,
  );
}

/**
 * The offline model, loaded on its first call: its phrase tables and answer composer hold about
 * 30 MiB of heap that a server answering with a hosted model, or not yet asked anything, never needs.
 */
function lazyOfflineModel(tokenDelayMs: number): LanguageModelV4 {
  let loading: Promise<LanguageModelV4> | undefined;
  const model = () => {
    loading ??= import('./offline/offline-model').then(({ createOfflineModel }) =>
      createOfflineModel({ tokenDelayMs }),
    );
    return loading;
  };
  return {
    specificationVersion: 'v4',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},
    doGenerate: async (options) => (await model()).doGenerate(options),
    doStream: async (options) => (await model()).doStream(options),
  };
}
