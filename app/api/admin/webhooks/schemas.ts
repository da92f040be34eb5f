import { z } from 'zod';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/events';

const events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, `choose at least one of ${WEBHOOK_EVENTS.join(', ')}`);
const url = z.string().trim().min(1, 'must not be empty').max(2000);
const description = z.string().trim().max(200);

export const newWebhookSchema = z.object({ url, events, description: description.optional() });

export const webhookChangeSchema = atLeastOneField(
  z.object({ url, events, description: description.nullable(), enabled: z.boolean() }).partial(),
);
