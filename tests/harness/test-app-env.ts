/**
 * The environment every test app starts with. Consent is not asked for unless a test turns it
 * on (TANDEM_CONSENT_REQUIRED=true): the consent tests do.
 */
export const TEST_APP_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  TANDEM_CONSENT_REQUIRED: 'false',
};
