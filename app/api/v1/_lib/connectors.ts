import { z } from 'zod';
import type { ConnectorTool } from '@/lib/actions/mcp';
import type { PresentedConnector } from '@/lib/actions/mcp-connectors';

/*
 * MCP connectors as the public API shows and takes them, in snake_case like the rest of /api/v1.
 * A secret header's value may be sent and is never returned.
 */

export function connectorJson(connector: PresentedConnector) {
  return {
    id: connector.id,
    name: connector.name,
    url: connector.url,
    headers: connector.headers,
    timeout_ms: connector.timeoutMs,
    max_bytes: connector.maxBytes,
    actions: connector.actions,
    created_at: connector.createdAt.toISOString(),
    updated_at: connector.updatedAt.toISOString(),
  };
}

export function toolJson(tool: ConnectorTool) {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    read_only: tool.readOnly,
    importable: tool.importable,
    warnings: tool.warnings,
    action: tool.action,
  };
}

// The shape for documentation and a first check; the domain validates every rule again.
export const apiConnectorBody = z.object({
  name: z.string().describe('Letters, digits, spaces, . _ or -, up to 60.'),
  url: z.string().describe('The Streamable HTTP endpoint of the MCP server.'),
  headers: z
    .array(
      z.object({
        name: z.string(),
        value: z
          .string()
          .optional()
          .describe('Write-only when secret; omit to keep the stored value.'),
        secret: z.boolean().optional(),
      }),
    )
    .optional(),
  timeout_ms: z.number().int().optional(),
  max_bytes: z.number().int().optional(),
});

export function connectorFromApi(body: z.output<typeof apiConnectorBody>) {
  return {
    name: body.name,
    url: body.url,
    headers: body.headers ?? [],
    ...(body.timeout_ms === undefined ? {} : { timeoutMs: body.timeout_ms }),
    ...(body.max_bytes === undefined ? {} : { maxBytes: body.max_bytes }),
  };
}

export const apiConnectorImportBody = z.object({
  tools: z.array(z.string()).min(1).max(100).describe('Tool names to offer as actions.'),
  enable: z.boolean().optional().describe('Turn the new actions on at once (default off).'),
});
