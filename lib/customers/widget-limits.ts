import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { rateLimitHeaders, slidingWindowLimit } from '@/lib/rate-limit/sliding-window';

export interface WidgetLimitRefusal {
  error: TandemError;
  headers: Record<string, string>;
}

/**
 * The widget's own flood limits: messages per chat session per minute, and new conversations per
 * IP address per hour (a visitor without a session starts a new conversation with each message,
 * so that limit also bounds them). `ip` is `clientAddress` (lib/security/client-address.ts), which
 * believes X-Forwarded-For only from trusted proxies. Null when the message may go ahead.
 */
export async function checkWidgetLimits(
  ctx: Pick<AppContext, 'config' | 'cache'>,
  input: { customerId: string | null; startsConversation: boolean; ip: string },
): Promise<WidgetLimitRefusal | null> {
  const { messagesPerMinute, conversationsPerHour } = ctx.config.widgetLimits;
  if (input.customerId) {
    const limit = await slidingWindowLimit(
      ctx.cache,
      `widget:messages:${input.customerId}`,
      messagesPerMinute,
    );
    if (!limit.allowed) {
      return {
        headers: rateLimitHeaders(limit),
        error: new TandemError(
          'rate_limited:widget_messages',
          `You're sending messages faster than we can read them (at most ${messagesPerMinute} a minute). Please wait ${limit.retryAfterSeconds} seconds and try again.`,
          { retryAfterSeconds: limit.retryAfterSeconds },
        ),
      };
    }
  }
  if (input.startsConversation) {
    const limit = await slidingWindowLimit(
      ctx.cache,
      `widget:conversations:${input.ip}`,
      conversationsPerHour,
      { windowSeconds: 3600 },
    );
    if (!limit.allowed) {
      const minutes = Math.ceil(limit.retryAfterSeconds / 60);
      return {
        headers: rateLimitHeaders(limit),
        error: new TandemError(
          'rate_limited:widget_conversations',
          `Too many new conversations from your network (at most ${conversationsPerHour} an hour). Please continue an existing one, or try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          { retryAfterSeconds: limit.retryAfterSeconds },
        ),
      };
    }
  }
  return null;
}
