import { generateText, isStepCount, type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOfflineModel } from '@/lib/ai/offline/offline-model';
import {
  CUSTOMER_TOOLS,
  createCustomerTools,
  type ToolContext,
  type ToolDefinition,
  toolLabel,
} from '@/lib/ai/tools';
import { defineTool } from '@/lib/ai/tools/define-tool';
import { TandemError } from '@/lib/errors';

/** Anything a tool reaches for beyond what a test gives it fails the test. */
const untouchable = <T>(what: string) =>
  new Proxy({} as object, {
    get(_target, key) {
      throw new Error(`${what}.${String(key)} was used`);
    },
  }) as T;

const context = (over: Partial<ToolContext> = {}): ToolContext => ({
  db: untouchable('db'),
  kb: untouchable('kb'),
  customerId: '00000000-0000-4000-8000-000000000001',
  conversationId: '00000000-0000-4000-8000-000000000002',
  verified: true,
  priority: 'medium',
  escalate: () => Promise.reject(new Error('escalate was used')),
  ...over,
});

/** Every registered tool, each answering its own example's output and recording its calls. */
function exampleTools() {
  const calls: { tool: string; input: unknown }[] = [];
  const tools: ToolSet = Object.fromEntries(
    CUSTOMER_TOOLS.map((registered) => {
      const definition = registered as ToolDefinition;
      const standIn = defineTool({
        ...definition,
        run: async (input) => {
          calls.push({ tool: definition.name, input });
          return definition.example.output;
        },
      });
      return [definition.name, standIn.tool(context())];
    }),
  );
  return { tools, calls };
}

const ask = (tools: ToolSet, request: string) =>
  generateText({
    model: createOfflineModel(),
    tools,
    prompt: request,
    stopWhen: isStepCount(2),
  });

describe('the tool registry', () => {
  it('names each tool once and labels it for the console', () => {
    const names = CUSTOMER_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(?:_[a-z]+)+$/);
    const labels = CUSTOMER_TOOLS.map((t) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(toolLabel('create_ticket')).toBe('Opened a ticket');
    // A call stored under a tool that has since gone still shows as what it was.
    expect(toolLabel('cancel_order')).toBe('cancel_order');
  });

  it.each(CUSTOMER_TOOLS.map((t) => [t.name, t as ToolDefinition] as const))(
    '%s declares its schemas, access and an example they accept',
    (_name, tool) => {
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.inputSchema).toBeInstanceOf(z.ZodType);
      expect(tool.outputSchema).toBeInstanceOf(z.ZodType);
      expect(['read', 'write']).toContain(tool.access.effect);
      if (tool.access.customers === 'verified') {
        expect(tool.access.unverifiedReply).not.toBe('');
      } else {
        expect(tool.access.customers).toBe('any');
      }
      expect(tool.inputSchema.safeParse(tool.example.input).success).toBe(true);
      expect(tool.outputSchema.safeParse(tool.example.output).success).toBe(true);
      expect(tool.offline.detect(tool.example.request)).toEqual(tool.example.input);
    },
  );

  it.each(CUSTOMER_TOOLS.map((t) => [t.name, t as ToolDefinition] as const))(
    'the offline model calls %s on its clear request, among all tools, and words the result',
    async (name, tool) => {
      const { tools, calls } = exampleTools();
      const result = await ask(tools, tool.example.request);
      expect(calls).toEqual([{ tool: name, input: tool.inputSchema.parse(tool.example.input) }]);
      expect(result.steps[0]!.toolCalls.map((c) => c.toolName)).toEqual([name]);
      expect(result.text).toBe(tool.example.reply);
    },
  );

  it('leaves ordinary questions to the help center', async () => {
    const { tools, calls } = exampleTools();
    for (const question of [
      'How do I reset my password?',
      'What is your refund policy for tickets to events?',
      'Do you ship to Malaysia?',
    ]) {
      await ask(tools, question);
    }
    expect(calls).toEqual([]);
  });

  it('offers every tool to the model, closed over the customer', () => {
    expect(Object.keys(createCustomerTools(context())).sort()).toEqual(
      CUSTOMER_TOOLS.map((t) => t.name).sort(),
    );
  });
});

describe('the runtime enforces access, whatever the model asks', () => {
  const verifiedOnly = CUSTOMER_TOOLS.filter((t) => t.access.customers === 'verified');

  it('has tools for verified customers only', () => {
    expect(verifiedOnly.map((t) => t.name)).toEqual(['lookup_account']);
  });

  it.each(verifiedOnly.map((t) => [t.name, t as ToolDefinition] as const))(
    '%s tells an unverified customer to sign in and does not run',
    async (name, tool) => {
      // The real tools: any use of the database or the hand-off would throw.
      const tools = createCustomerTools(context({ verified: false })) as ToolSet;
      const result = await ask(tools, tool.example.request);
      expect(result.steps[0]!.toolCalls.map((c) => c.toolName)).toEqual([name]);
      const expected = tool.access.customers === 'verified' ? tool.access.unverifiedReply : '';
      expect(result.steps[0]!.toolResults.map((r) => r.output)).toEqual([{ error: expected }]);
      expect(result.text).toBe(expected);
    },
  );

  const probe = (run: () => Promise<never>) =>
    defineTool({
      name: 'probe_tool',
      label: 'Probed',
      description: 'A tool that fails the way the test says.',
      inputSchema: z.object({}),
      outputSchema: z.object({ ok: z.boolean() }),
      access: { effect: 'read', customers: 'any' },
      run,
      offline: { detect: () => ({}), reply: () => 'Probed.' },
      example: { request: 'probe', input: {}, output: { ok: true }, reply: 'Probed.' },
    }).tool(context());

  // Called as the AI SDK calls it once the input is valid.
  const execute = (tool: ReturnType<typeof probe>) =>
    (tool.execute as (input: unknown, options: unknown) => Promise<unknown>)(
      {},
      { toolCallId: 't1', messages: [] },
    );

  it('turns a refusal into an error the customer is told, and lets a fault stay a fault', async () => {
    const refusal = new TandemError('not_found:ticket', 'No ticket TKT-9 was found for you.');
    expect(await execute(probe(() => Promise.reject(refusal)))).toEqual({
      error: 'No ticket TKT-9 was found for you.',
    });
    const fault = new TandemError('internal:db', 'Connection reset');
    await expect(execute(probe(() => Promise.reject(fault)))).rejects.toBe(fault);
    const crash = new Error('socket hang up');
    await expect(execute(probe(() => Promise.reject(crash)))).rejects.toBe(crash);
  });
});
