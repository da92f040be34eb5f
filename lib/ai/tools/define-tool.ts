import { type Tool, tool } from 'ai';
import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import type { ToolContext } from './context';

/** How a tool says it could not do what was asked; the model (or the offline one) tells the customer. */
export const toolErrorSchema = z.object({ error: z.string() });
export type ToolError = z.infer<typeof toolErrorSchema>;

/**
 * What a tool may do for whom, enforced by the runtime whatever the model asks. `effect` says
 * whether it only reads or changes the business's records; `customers: 'verified'` runs it only
 * for a customer whose identity the site vouched for, and tells anyone else `unverifiedReply`.
 */
export type ToolAccess = { effect: 'read' | 'write' } & (
  | { customers: 'any' }
  | { customers: 'verified'; unverifiedReply: string }
);

/**
 * A clear request, the input the offline model derives from it, an output the tool could give,
 * and the reply the offline model words from that output. It documents the tool and the
 * registry's tests drive every tool through the offline model with it.
 */
export interface ToolExample<Input extends z.ZodType, Output extends z.ZodType> {
  request: string;
  input: z.input<Input>;
  output: z.output<Output>;
  reply: string;
}

/**
 * Everything Tandem knows about one tool, as plain fields and functions so that tools built
 * from data (an admin's HTTP action, an MCP server's tool) can have the same shape.
 */
export interface ToolDefinition<
  Name extends string = string,
  Input extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
> {
  /** The name the model calls it by; stored with each call in a message's tool activity. */
  name: Name;
  /** What the console shows for a call, in the past tense ("Opened a ticket"). */
  label: string;
  /** What the model is told the tool is for. */
  description: string;
  inputSchema: Input;
  /** The tool's answer when it succeeds; it may instead answer a `ToolError`. */
  outputSchema: Output;
  access: ToolAccess;
  /** Does the work for the customer in `ctx`; called only once access allows it. */
  run(input: z.output<Input>, ctx: ToolContext): Promise<z.output<Output> | ToolError>;
  /** How the built-in model, with no API key, recognises a clear request and words the result. */
  offline: {
    /** The call's input when `text` clearly asks for this tool, otherwise null. */
    detect(text: string): z.input<Input> | null;
    /** The result said in `language` (ISO 639-1) when the tool speaks it, otherwise in English. */
    reply(output: z.output<Output>, language?: string): string;
  };
  example: ToolExample<Input, Output>;
}

export interface CustomerTool<
  Name extends string = string,
  Input extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
> extends ToolDefinition<Name, Input, Output> {
  /** The AI SDK tool for this customer and conversation, with access enforced around `run`. */
  tool(ctx: ToolContext): Tool<z.output<Input>, z.output<Output> | ToolError>;
}

export function defineTool<
  const Name extends string,
  Input extends z.ZodType,
  Output extends z.ZodType,
>(definition: ToolDefinition<Name, Input, Output>): CustomerTool<Name, Input, Output> {
  return {
    ...definition,
    tool: (ctx) => toAiTool(definition, ctx) as Tool<z.output<Input>, z.output<Output> | ToolError>,
  };
}

function toAiTool(definition: ToolDefinition, ctx: ToolContext): Tool {
  const { access } = definition;
  return tool({
    description: definition.description,
    inputSchema: definition.inputSchema,
    outputSchema: z.union([definition.outputSchema, toolErrorSchema]),
    execute: async (input) => {
      if (access.customers === 'verified' && !ctx.verified) {
        return { error: access.unverifiedReply };
      }
      try {
        return await definition.run(input, ctx);
      } catch (error) {
        // A refusal (a ticket that is not theirs, a conflict) reads as an error the model can
        // explain, never as data; a fault stays a fault.
        if (error instanceof TandemError && error.status < 500) return { error: error.message };
        throw error;
      }
    },
  });
}
