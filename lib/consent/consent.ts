import type { AppContext } from '@/lib/context';
import { type Customer, createAnonymousCustomer } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import type { ConsentNotice } from '@/lib/settings/schema';
import { type ConsentSettings, getConsentSettings } from '@/lib/settings/settings';
import { type ConsentDecision, recordConsent } from './queries';

type ConsentRecord = Pick<Customer, 'consent' | 'consentVersion'>;

/**
 * How the AI may treat a customer's messages. A decline holds whatever notice it answered, and
 * whether or not consent is currently required: nothing of theirs goes to a model until they
 * accept. A grant counts only for the notice in force when consent is required.
 */
export type ConsentGate = 'allowed' | 'declined' | 'unanswered';

export function consentGate(
  customer: ConsentRecord | null,
  settings: ConsentSettings,
): ConsentGate {
  if (customer?.consent === 'declined') return 'declined';
  if (!settings.required) return 'allowed';
  return customer?.consent === 'granted' && customer.consentVersion === settings.version
    ? 'allowed'
    : 'unanswered';
}

/** What the widget needs to know to ask, or not. */
export interface WidgetConsent {
  required: boolean;
  version: string;
  notice: ConsentNotice;
  /** The customer's recorded answer, whichever notice it answered. */
  decision: ConsentDecision | null;
  /** True when the customer must answer (again) before writing to the AI. */
  ask: boolean;
}

export async function getWidgetConsent(
  ctx: Pick<AppContext, 'database' | 'config'>,
  customer: ConsentRecord | null,
): Promise<WidgetConsent> {
  const settings = await getConsentSettings(ctx.database.db, ctx.config.consent.requiredByDefault);
  const decision = customer?.consent ?? null;
  return {
    required: settings.required,
    version: settings.version,
    notice: settings.notice,
    decision,
    ask: settings.required && (decision === null || customer?.consentVersion !== settings.version),
  };
}

/** Refuses a message from a customer who has not answered the notice in force. */
export async function requireConsentAnswer(
  ctx: Pick<AppContext, 'database' | 'config'>,
  customer: ConsentRecord | null,
): Promise<ConsentGate> {
  const settings = await getConsentSettings(ctx.database.db, ctx.config.consent.requiredByDefault);
  const gate = consentGate(customer, settings);
  if (gate === 'unanswered') {
    throw new TandemError(
      'conflict:consent',
      'Please answer the consent notice first: accept AI processing and storage, or decline and leave a message for our team.',
      { version: settings.version },
    );
  }
  return gate;
}

/**
 * Records a customer's answer to the notice they were shown. An answer to an older wording is
 * refused, so the customer reads the current one and is asked again.
 */
export async function answerConsentNotice(
  ctx: Pick<AppContext, 'database' | 'config'>,
  input: { customer: Customer | null; decision: ConsentDecision; version: string },
): Promise<{ customer: Customer; created: boolean }> {
  const settings = await getConsentSettings(ctx.database.db, ctx.config.consent.requiredByDefault);
  if (input.version !== settings.version) {
    throw new TandemError(
      'conflict:consent_version',
      'The consent notice has changed since it was shown. Please read it again and answer.',
      { version: settings.version },
    );
  }
  const customer = input.customer ?? (await createAnonymousCustomer(ctx.database.db));
  const saved = await recordConsent(ctx.database.db, {
    customerId: customer.id,
    decision: input.decision,
    version: settings.version,
  });
  return { customer: saved, created: input.customer === null };
}
