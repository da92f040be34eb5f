import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '@/lib/config';
import { log } from '@/lib/log';
import { getMetrics } from '@/lib/observability/metrics';

export interface Mail {
  /** What the mail is, for logs and metrics: `escalation_alert`, `ticket_reply`. */
  kind: string;
  to: string | string[];
  subject: string;
  text: string;
  replyTo?: string;
}

type EmailConfig = NonNullable<Config['email']>;

// One pooled transport per configuration, kept on globalThis so route bundles share it.
const holder = globalThis as typeof globalThis & {
  __tandemMailers?: Map<string, Transporter>;
};
holder.__tandemMailers ??= new Map();

function transportFor(email: EmailConfig): Transporter {
  let transport = holder.__tandemMailers!.get(email.smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(email.smtpUrl);
    holder.__tandemMailers!.set(email.smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends `mail` through the configured SMTP server. Returns false, sending nothing, when email is
 * not configured; an SMTP failure is logged and counted and also returns false, so a mail never
 * breaks the action that caused it.
 */
export async function sendMail(config: Pick<Config, 'email'>, mail: Mail): Promise<boolean> {
  if (!config.email) return false;
  const metrics = getMetrics();
  try {
    const info = await transportFor(config.email).sendMail({
      from: config.email.from,
      to: mail.to,
      replyTo: mail.replyTo,
      subject: mail.subject,
      text: mail.text,
    });
    metrics.emailsSent.inc({ kind: mail.kind, outcome: 'sent' });
    log.info({ kind: mail.kind, messageId: info.messageId }, 'mail sent');
    return true;
  } catch (error) {
    metrics.emailsSent.inc({ kind: mail.kind, outcome: 'failed' });
    log.error({ err: error, kind: mail.kind }, 'mail failed');
    return false;
  }
}

/** Closes pooled SMTP connections (tests and shutdown). */
export function closeMailers(): void {
  for (const transport of holder.__tandemMailers!.values()) transport.close();
  holder.__tandemMailers!.clear();
}
