import type { ToolContext } from './context';
import { escalateToHumanTool } from './escalate-to-human';
import { lookupAccountTool } from './lookup-account';
import { searchKnowledgeBase } from './search-knowledge-base';
import {
  createTicketTool,
  getTicketStatusTool,
  listMyTicketsTool,
  updateTicketTool,
} from './ticket-tools';

export type { ToolContext } from './context';

/** The tools a model may call for this customer in this conversation. */
export function createCustomerTools(ctx: ToolContext) {
  return {
    search_knowledge_base: searchKnowledgeBase(ctx),
    create_ticket: createTicketTool(ctx),
    get_ticket_status: getTicketStatusTool(ctx),
    update_ticket: updateTicketTool(ctx),
    list_my_tickets: listMyTicketsTool(ctx),
    lookup_account: lookupAccountTool(ctx),
    escalate_to_human: escalateToHumanTool(ctx),
  };
}

export type CustomerTools = ReturnType<typeof createCustomerTools>;
export type CustomerToolName = keyof CustomerTools;
