import { z } from 'zod';
import { currentStaff } from '@/lib/auth/staff-session';
import { getAttachmentOrThrow } from '@/lib/conversations/attachments';
import { TandemError } from '@/lib/errors';
import { widgetRoute } from '../../../widget-route';

/** A file the customer attached, for that customer and for agents. */
export const GET = widgetRoute(
  { surface: 'attachment', session: 'optional', params: ['id'] },
  async ({ app, request, params, customer }) => {
    if (!z.uuid().safeParse(params.id).success) {
      throw new TandemError('not_found:attachment', 'No attachment of yours has that id.');
    }
    const staff = customer ? null : await currentStaff(app, request);
    if (!customer && !staff)
      throw new TandemError('unauthorized:attachment', 'Open the chat to see its files.');
    // Staff (no customer session) may open any conversation's files.
    const file = await getAttachmentOrThrow(app.database.db, params.id, customer?.id ?? null);
    return new Response(new Uint8Array(file.data), {
      headers: {
        'content-type': file.mediaType,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      },
    });
  },
);
