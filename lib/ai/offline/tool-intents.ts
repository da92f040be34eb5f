import { CUSTOMER_TOOLS, findTool } from '@/lib/ai/tools';

export interface ToolIntent {
  toolName: string;
  input: Record<string, unknown>;
}

/**
 * The tool call a message clearly asks for ("open a ticket about…", "where is TKT-1001", "what
 * plan am I on"), from the first offered tool in the registry whose detector recognises it;
 * anything less clear is answered from the help center instead.
 */
export function detectToolIntent(message: string, available: Set<string>): ToolIntent | null {
  const text = message.trim();
  for (const tool of CUSTOMER_TOOLS) {
    if (!available.has(tool.name)) continue;
    const input = tool.offline.detect(text);
    if (input) return { toolName: tool.name, input };
  }
  return null;
}

/**
 * The offline model's reply once a tool has answered: the tool's facts, or its refusal, said
 * plainly, in the customer's language where the tool speaks it.
 */
export function replyToToolResult(toolName: string, output: unknown, language = 'en'): string {
  const result = (output ?? {}) as { error?: unknown };
  if (typeof result.error === 'string') return result.error;
  // Worded only from an output its tool declares; anything else is not worth repeating.
  const tool = findTool(toolName);
  const parsed = tool?.outputSchema.safeParse(output);
  return tool && parsed?.success ? tool.offline.reply(parsed.data, language) : 'Done.';
}
