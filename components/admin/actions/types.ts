/** An action as /api/admin/actions shows it: a secret header says only whether it is set. */
export type ActionInputSpec = {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'enum';
  description: string;
  required: boolean;
  pattern?: string;
  choices?: string[];
  fromCustomer?: 'site_user_id' | 'email' | 'name' | 'id';
};

export type ShownHeader =
  | { name: string; secret: false; value: string }
  | { name: string; secret: true; set: boolean };

export type HttpSpec = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: ShownHeader[];
  body: unknown;
  responseFields: string[];
  timeoutMs: number;
  maxBytes: number;
};

export type Action = {
  id: string;
  kind: 'http' | 'mcp';
  name: string;
  label: string;
  description: string;
  inputs: ActionInputSpec[];
  effect: 'read' | 'write';
  verifiedOnly: boolean;
  needsApproval: boolean;
  rateLimitPerHour: number;
  examples: string[];
  replyTemplate: string;
  enabled: boolean;
  http?: HttpSpec;
  mcp?: {
    connectorId: string;
    tool: string;
    responseFields: string[];
    argumentNames: Record<string, string>;
  };
};

export type ActionList = { actions: Action[]; allowedHosts: string[] };

export type TestResult = {
  ok: boolean;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | null;
  } | null;
  response: { status: number; data: unknown } | null;
  raw: { contentType: string | null; text: string; truncated: boolean } | null;
  error: string | null;
  reply: string | null;
};

export type ImportableOperation = {
  key: string;
  summary: string;
  warnings: string[];
  definition: { name: string; effect: 'read' | 'write'; inputs?: { name: string }[] };
};

export const CUSTOMER_ATTRIBUTES = ['site_user_id', 'email', 'name', 'id'] as const;
