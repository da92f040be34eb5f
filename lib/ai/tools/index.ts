import type { ToolContext } from './context';
import { createTicket } from './create-ticket';
import type { CustomerTool } from './define-tool';
import { escalateToHuman } from './escalate-to-human';
import { getTicketStatus } from './get-ticket-status';
import { listMyTickets } from './list-my-tickets';
import { lookupAccount } from './lookup-account';
import { searchKnowledgeBase } from './search-knowledge-base';
import { updateTicket } from './update-ticket';

export type { ToolContext } from './context';
export type { CustomerTool, ToolAccess, ToolDefinition, ToolError } from './define-tool';

/**
 * Every tool the bot has, read by the model runtime, the offline model, the console and the
 * tests. The offline model takes the first tool in this order that a message clearly asks for,
 * so a more specific request comes before a looser one ("add to TKT-1002: …" before "TKT-1002").
 */
export const CUSTOMER_TOOLS = [
  updateTicket,
  getTicketStatus,
  createTicket,
  listMyTickets,
  lookupAccount,
  searchKnowledgeBase,
  escalateToHuman,
] as const;

type RegisteredTool = (typeof CUSTOMER_TOOLS)[number];
export type ToolName = RegisteredTool['name'];

/** The AI SDK tools, by name, that a model may call for one customer in one conversation. */
export type CustomerTools = {
  [T in RegisteredTool as T['name']]: ReturnType<T['tool']>;
};

const byName = new Map<string, CustomerTool>(CUSTOMER_TOOLS.map((t) => [t.name, t]));

export function findTool(name: string): CustomerTool | undefined {
  return byName.get(name);
}

/** How a call is shown to staff; a name no longer registered is shown as it was stored. */
export function toolLabel(name: string): string {
  return findTool(name)?.label ?? name;
}

export function createCustomerTools(ctx: ToolContext): CustomerTools {
  return Object.fromEntries(CUSTOMER_TOOLS.map((t) => [t.name, t.tool(ctx)])) as CustomerTools;
}
