import { z } from 'zod';
import { answerConsentNotice } from '@/lib/consent/consent';
import { widgetRoute } from '../../widget-route';

const body = z.object({
  decision: z.enum(['granted', 'declined'], { message: "must be 'granted' or 'declined'" }),
  version: z.string().min(1, 'must be the version of the notice shown').max(64),
});

/** The visitor's answer to the consent notice; a first answer starts their chat session. */
export const POST = widgetRoute(
  { surface: 'consent', session: 'optional', body, maxBytes: 1024 },
  async ({ app, body, customer: known, startSession, checkLimits }) => {
    // A new session per answer otherwise: bound like conversations from one address.
    if (!known) await checkLimits({ startsConversation: true });
    const { customer: saved, created } = await answerConsentNotice(app, {
      customer: known,
      ...body,
    });
    if (created) startSession(saved);
    return Response.json({
      consent: {
        decision: saved.consent,
        version: saved.consentVersion,
        at: saved.consentAt?.toISOString(),
      },
    });
  },
);
