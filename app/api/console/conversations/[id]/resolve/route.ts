import { z } from 'zod';
import { resolve } from '@/lib/conversations/handoff';
import { staffRoute } from '../../../../staff-route';

const body = z.object({ note: z.string().trim().max(2000).optional() });

export const POST = staffRoute(
  { role: 'agent', surface: 'resolve', params: ['id'], body, bodyOptional: true },
  async ({ app, staff, params, body }) => {
    const { conversation } = await resolve(app, staff, params.id, body.note || undefined);
    return Response.json({ id: conversation.id, status: conversation.status });
  },
);
