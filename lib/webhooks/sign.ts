import { createHmac, randomBytes } from 'node:crypto';

/** `Tandem-Signature` for a body sent at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, body: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export const generateWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
