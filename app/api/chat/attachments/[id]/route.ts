import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { getApp } from '@/lib/app';
import { currentStaff } from '@/lib/auth/staff-session';
import { getAttachmentOrThrow } from '@/lib/conversations/attachments';
import { CUSTOMER_COOKIE, readCustomerToken } from '@/lib/customers/session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { observedRoute } from '../../../observed-route';

/** A file the customer attached, for that customer and for agents. */
export const GET = observedRoute(
  async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
    try {
      const app = await getApp();
      const { id } = await params;
      if (!z.uuid().safeParse(id).success) {
        throw new TandemError('not_found:attachment', 'No attachment of yours has that id.');
      }
      const customerId = readCustomerToken(request.cookies.get(CUSTOMER_COOKIE)?.value, app.secret);
      const staff = customerId ? null : await currentStaff(app, request);
      if (!customerId && !staff)
        throw new TandemError('unauthorized:attachment', 'Open the chat to see its files.');
      const file = await getAttachmentOrThrow(app.database.db, id, staff ? null : customerId);
      return new Response(new Uint8Array(file.data), {
        headers: {
          'content-type': file.mediaType,
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-store',
        },
      });
    } catch (error) {
      if (!(error instanceof TandemError)) log.error({ err: error }, 'attachment download failed');
      return toErrorResponse(error);
    }
  },
);
