import type { LanguageModel } from 'ai';
import type { ModelConfig } from '@/lib/config';
import { createOfflineModel } from './offline/offline-model';
import { withPiiRedaction } from './redacting-model';

/** The answering model: the built-in offline one, or any OpenAI-compatible server when configured. */
export async function createAnswerModel(config: ModelConfig): Promise<LanguageModel> {
  if (config.provider === 'offline')
    return createOfflineModel({ tokenDelayMs: config.tokenDelayMs });
  // Imported only when used: importing it builds a default provider from OPENAI_* variables.
  const { createOpenAI } = await import('@ai-sdk/openai');
  const openai = createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL });
  // Personal data never leaves for the external model (PDPA / GDPR).
  return withPiiRedaction(
    config.baseURL ? openai.chat(config.model) : openai(config.model),
    config.redactPatterns,
  );
}
