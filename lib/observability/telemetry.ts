import type { Config } from '@/lib/config';

/**
 * Per-call AI SDK telemetry settings. Spans are emitted only when TANDEM_AI_TELEMETRY registered
 * the OpenTelemetry integration; prompts and answers stay out of them, as they do out of logs.
 */
export function aiTelemetry(config: Pick<Config, 'observability'>, functionId: string) {
  return {
    isEnabled: config.observability.aiTelemetry,
    functionId: `tandem.${functionId}`,
    recordInputs: false,
    recordOutputs: false,
  };
}

/** Registers the AI SDK's OpenTelemetry integration; spans go to the process's tracer provider. */
export async function registerAiTelemetry(config: Pick<Config, 'observability'>): Promise<boolean> {
  if (!config.observability.aiTelemetry) return false;
  const [{ registerTelemetry }, { OpenTelemetry }] = await Promise.all([
    import('ai'),
    import('@ai-sdk/otel'),
  ]);
  registerTelemetry(new OpenTelemetry());
  return true;
}
