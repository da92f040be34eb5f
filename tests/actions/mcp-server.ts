import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface SeenToolCall {
  tool: string;
  args: Record<string, unknown>;
  apiKey: string | null;
}

/**
 * An orders MCP server on 127.0.0.1, built with the SDK's own McpServer and Streamable HTTP
 * transport (stateless: a server per request). Its results hold more than the bot should see:
 * an internal note, and the credential it was called with.
 */
export async function startMcpServer({
  requiredKey,
  header = 'x-api-key',
}: {
  requiredKey: string;
  /** The header that must carry `requiredKey`. */
  header?: string;
}) {
  const calls: SeenToolCall[] = [];
  const requests: { method: string; apiKey: string | null }[] = [];

  function build() {
    const server = new McpServer({ name: 'orders', version: '1.0.0' });
    server.registerTool(
      'lookupOrder',
      {
        title: 'Look up an order',
        description: 'Finds an order by its number and says where it is.',
        inputSchema: {
          orderId: z.string().describe('The order number, like A1001'),
          customer: z.string(),
        },
        annotations: { readOnlyHint: true },
      },
      async ({ orderId, customer }, extra) => {
        const apiKey = String(extra.requestInfo?.headers['x-api-key'] ?? '') || null;
        calls.push({ tool: 'lookupOrder', args: { orderId, customer }, apiKey });
        return {
          content: [{ type: 'text', text: `Order ${orderId} is dispatched.` }],
          structuredContent: {
            order: { id: orderId, status: 'dispatched', customer, internalNote: 'fraud review' },
            debug: { apiKey },
          },
        };
      },
    );
    server.registerTool(
      'cancel_order',
      {
        title: 'Cancel an order',
        description: 'Cancels an order that has not shipped.',
        inputSchema: { order_id: z.string(), reason: z.enum(['changed_mind', 'too_slow']) },
      },
      async (args, extra) => {
        const apiKey = String(extra.requestInfo?.headers['x-api-key'] ?? '') || null;
        calls.push({ tool: 'cancel_order', args, apiKey });
        return {
          content: [{ type: 'text', text: JSON.stringify({ cancelled: true, id: args.order_id }) }],
        };
      },
    );
    server.registerTool(
      'warrantyStatus',
      {
        title: 'Check a warranty',
        description: 'Whether the warranty of a product, by its serial number, is still valid.',
        inputSchema: { serial: z.string().regex(/^SN-\d{5}$/) },
        annotations: { readOnlyHint: true },
      },
      async ({ serial }, extra) => {
        const apiKey = String(extra.requestInfo?.headers[header] ?? '') || null;
        calls.push({ tool: 'warrantyStatus', args: { serial }, apiKey });
        return {
          content: [],
          structuredContent: { warranty: { serial, status: 'active', ends_on: '2027-03-01' } },
        };
      },
    );
    server.registerTool(
      'bulk_export',
      {
        description: 'Exports everything.',
        inputSchema: { filter: z.object({ since: z.string() }) },
      },
      async () => ({ content: [{ type: 'text', text: 'done' }] }),
    );
    return server;
  }

  const httpServer = http.createServer((req, res) => {
    const apiKey = (req.headers[header] as string | undefined) ?? null;
    requests.push({ method: req.method ?? '', apiKey });
    if (apiKey !== requiredKey) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const server = build();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, text ? JSON.parse(text) : undefined);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
