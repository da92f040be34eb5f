import { z } from 'zod';
import { decideApproval } from '@/lib/turn/action-decisions';
import { staffRoute } from '../../../staff-route';

const body = z.object({
  decision: z.enum(['approve', 'reject']),
  /** Told to the customer with a rejection. */
  reason: z.string().trim().max(500).optional(),
});

/**
 * An agent approves (the call runs now) or rejects a call waiting for the team; the customer is
 * told the outcome either way.
 */
export const POST = staffRoute(
  { role: 'agent', params: ['id'], body, maxBytes: 2048 },
  async ({ app, staff, params, body }) => {
    const { call, message } = await decideApproval(app, {
      callId: params.id,
      agent: { type: 'staff', id: staff.id, name: staff.name, role: staff.role },
      approved: body.decision === 'approve',
      reason: body.reason || undefined,
    });
    return Response.json({
      call: { id: call.id, status: call.status, error: call.error },
      message: { id: message.id, content: message.content },
    });
  },
);
