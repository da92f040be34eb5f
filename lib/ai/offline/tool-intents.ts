import { truncateText } from '@/lib/text/truncate';
import { parseTicketNumber } from '@/lib/tickets/queries';

export interface ToolIntent {
  toolName: string;
  input: Record<string, unknown>;
}

const TICKET_NUMBER = /\b(?:tkt[-\s#]*|#)(\d{3,9})\b/i;
const OPEN_TICKET =
  /\b(?:open|create|raise|file|log|submit|start|make)\b[^.?!]{0,25}\b(?:ticket|case|support request)\b|(?:开|提交|创建|建)(?:一个|个)?(?:工单|投诉单)/i;
const LIST_TICKETS =
  /\b(?:my|all(?: of)? my|list(?: all)?(?: of)? my)\s+(?:open\s+)?tickets\b|我的工单/i;
const ADD_DETAILS = /\b(?:add|append|include|attach|update)\b|补充|更新/i;
const ACCOUNT =
  /\bwhat(?:'s| is)? (?:plan|subscription) (?:am i|i'm) on\b|\bwhich plan\b|\bmy (?:plan|subscription|account status|renewal(?: date)?|last invoice|next (?:bill|payment|invoice))\b|\bwhen (?:does|will|do) (?:my )?(?:plan|subscription|membership) renew\b|我的(?:套餐|账户|账号|订阅)/i;

/**
 * Clear requests the offline model turns into tool calls ("open a ticket about…", "where is
 * TKT-1001", "what plan am I on"); anything less clear is answered from the help center instead.
 */
export function detectToolIntent(message: string, available: Set<string>): ToolIntent | null {
  const text = message.trim();
  const numberMatch = TICKET_NUMBER.exec(text);
  const number = numberMatch ? parseTicketNumber(numberMatch[0]) : null;

  if (number !== null && ADD_DETAILS.test(text) && available.has('update_ticket')) {
    const details = text
      .replace(TICKET_NUMBER, '')
      .replace(/^[^:]*:\s*/, '')
      .trim();
    return {
      toolName: 'update_ticket',
      input: { ticket: `TKT-${number}`, details: details || text },
    };
  }
  if (number !== null && available.has('get_ticket_status')) {
    return { toolName: 'get_ticket_status', input: { ticket: `TKT-${number}` } };
  }
  if (OPEN_TICKET.test(text) && available.has('create_ticket')) {
    return {
      toolName: 'create_ticket',
      input: { subject: ticketSubject(text), description: text },
    };
  }
  if (LIST_TICKETS.test(text) && available.has('list_my_tickets')) {
    return { toolName: 'list_my_tickets', input: {} };
  }
  if (ACCOUNT.test(text) && available.has('lookup_account')) {
    return { toolName: 'lookup_account', input: {} };
  }
  return null;
}

/** "Please open a ticket about my blender arriving broken." → "My blender arriving broken" */
function ticketSubject(text: string): string {
  const about = /\b(?:about|regarding|re|for|because|on)\b[:\s]+(.+)$/i.exec(text);
  const zh = /(?:关于|因为)(.+)$/.exec(text);
  const raw = (about?.[1] ?? zh?.[1] ?? text).replace(/[.!?。！？\s]+$/u, '').trim();
  const subject = raw.charAt(0).toUpperCase() + raw.slice(1);
  return truncateText(subject, 100);
}
