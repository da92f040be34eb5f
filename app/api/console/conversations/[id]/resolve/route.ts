import { z } from 'zod';
import { resolve } from '@/lib/conversations/handoff';
import { readJsonBody } from '../../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../../staff-route';

const body = z.object({ note: z.string().trim().max(2000).optional() });

export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params, request }) => {
  const hasBody = Number(request.headers.get('content-length') ?? 0) > 0;
  const { note } = hasBody
    ? await readJsonBody(request, body, { surface: 'resolve', maxBytes: SMALL_BODY })
    : { note: undefined };
  const { conversation } = await resolve(app, staff, params.id, note || undefined);
  return Response.json({ id: conversation.id, status: conversation.status });
});
