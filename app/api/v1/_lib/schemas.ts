import { z } from 'zod';
import { PRIORITIES } from '@/lib/classify/schema';

/** Request bodies and queries of the public API: routes validate with them, OpenAPI is built from them. */

export const customerIdParam = z.string().trim().min(1).max(200);

export const escalateBody = z.object({
  reason: z.string().trim().min(1).max(500).optional(),
  priority: z.enum(PRIORITIES).optional(),
});

export const resolveBody = z.object({
  note: z.string().trim().max(2000).optional(),
  agent_email: z.email().optional(),
});

export const agentMessageBody = z.object({
  agent_email: z.email(),
  message: z.string().trim().min(1, 'must not be empty').max(10_000),
});

export const TICKET_STATUSES = [
  'open',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
] as const;

export const createTicketBody = z.object({
  customer_id: customerIdParam,
  subject: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().trim().min(1, 'must not be empty').max(20_000),
  priority: z.enum(PRIORITIES).default('medium'),
  conversation_id: z.uuid().optional(),
});

export const updateTicketBody = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    subject: z.string().trim().min(1).max(200).optional(),
    add_details: z.string().trim().min(1).max(20_000).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    error: 'change at least one of status, priority, subject or add_details',
  });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.uuid().optional(),
});

export const kbDocumentBody = z.union([
  z.object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    category: z.string().trim().max(80).optional(),
  }),
  z.object({
    title: z.string().trim().min(1).max(200),
    content: z.string().trim().min(1).max(1_000_000),
    category: z.string().trim().max(80).optional(),
  }),
]);

export const kbSearchBody = z.object({
  query: z.string().trim().min(1, 'must not be empty').max(2000),
  limit: z.number().int().min(1).max(20).default(5),
  category: z.string().trim().max(80).optional(),
});

export const rangeQuery = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  days: z.enum(['7', '30', '90']).optional(),
});

export const feedbackBody = z.object({ helpful: z.boolean() });
