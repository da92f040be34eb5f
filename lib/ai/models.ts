import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import type { ModelConfig } from '@/lib/config';
import { createOfflineModel } from './offline-model';

/** The answering model: the built-in offline one, or any OpenAI-compatible server when configured. */
export function createAnswerModel(config: ModelConfig): LanguageModel {
  if (config.provider === 'offline')
    return createOfflineModel({ tokenDelayMs: config.tokenDelayMs });
  const openai = createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL });
  return config.baseURL ? openai.chat(config.model) : openai(config.model);
}
