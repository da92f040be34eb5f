import { z } from 'zod';
import { truncateText } from '@/lib/text/truncate';
import { createTicket as insertTicket } from '@/lib/tickets/queries';
import { defineTool } from './define-tool';
import { describeTicket, ticketOutput } from './ticket-fields';

const OPEN_TICKET =
  /\b(?:open|create|raise|file|log|submit|start|make)\b[^.?!]{0,25}\b(?:ticket|case|support request)\b|(?:开|提交|创建|建)(?:一个|个)?(?:工单|投诉单)/i;

export const createTicket = defineTool({
  name: 'create_ticket',
  label: 'Opened a ticket',
  description:
    'Open a support ticket for the customer when they ask for one or their issue needs follow-up by the team.',
  inputSchema: z.object({
    subject: z.string().min(3).max(120),
    description: z.string().min(3).max(4000),
  }),
  outputSchema: ticketOutput,
  access: { effect: 'write', customers: 'any' },
  run: async ({ subject, description }, ctx) =>
    describeTicket(
      await insertTicket(ctx.db, {
        customerId: ctx.customerId,
        conversationId: ctx.conversationId,
        subject,
        description,
        priority: ctx.priority,
      }),
    ),
  offline: {
    detect: (text) =>
      OPEN_TICKET.test(text) ? { subject: ticketSubject(text), description: text } : null,
    reply: (t, language) =>
      language === 'zh'
        ? `我已为您创建工单 **${t.ticket}**（“${t.subject}”）。客服团队会通过邮件跟进，您也可以随时问我这个工单的进度。`
        : `I've opened ticket **${t.ticket}** — “${t.subject}”. Our support team will follow up by email, and you can ask me for its status any time.`,
  },
  example: {
    request: 'Please open a ticket about my kettle leaking.',
    input: {
      subject: 'My kettle leaking',
      description: 'Please open a ticket about my kettle leaking.',
    },
    output: {
      ticket: 'TKT-1003',
      subject: 'My kettle leaking',
      status: 'open',
      priority: 'medium',
      updatedAt: '2026-11-21T10:00:00.000Z',
    },
    reply:
      "I've opened ticket **TKT-1003** — “My kettle leaking”. Our support team will follow up by email, and you can ask me for its status any time.",
  },
});

/** "Please open a ticket about my blender arriving broken." → "My blender arriving broken" */
function ticketSubject(text: string): string {
  const about = /\b(?:about|regarding|re|for|because|on)\b[:\s]+(.+)$/i.exec(text);
  const zh = /(?:关于|因为)(.+)$/.exec(text);
  const raw = (about?.[1] ?? zh?.[1] ?? text).replace(/[.!?。！？\s]+$/u, '').trim();
  const subject = raw.charAt(0).toUpperCase() + raw.slice(1);
  return truncateText(subject, 100);
}
