import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidNric, redactPii } from '@/lib/privacy/redact';

describe('Singapore NRIC / FIN check letters', () => {
  it('accepts real-format numbers with the right check letter, in every series', () => {
    for (const valid of [
      'S1234567D',
      'T1234567J',
      'F1234567N',
      'G1234567X',
      'M1234567K',
      's1234567d',
    ]) {
      expect(isValidNric(valid), valid).toBe(true);
    }
  });
  it('refuses a wrong check letter or shape', () => {
    for (const invalid of [
      'S1234567A',
      'T1234567D',
      'F1234567X',
      'A1234567D',
      'S123456D',
      'S12345678D',
    ]) {
      expect(isValidNric(invalid), invalid).toBe(false);
    }
  });
});

describe('card numbers (Luhn)', () => {
  it('accepts valid test card numbers and refuses one digit off', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('5555555555554444')).toBe(true);
    expect(isLuhnValid('378282246310005')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });
});

describe('redactPii', () => {
  it('replaces emails, phones, cards and NRICs, and counts them', () => {
    const { text, counts } = redactPii(
      'I am S1234567D, mail me at tan.wei@example.com.sg or call +65 9123 4567 / 8123-4567. Card 4111 1111 1111 1111 was charged twice.',
    );
    expect(text).toBe(
      'I am [nric], mail me at [email] or call [phone] / [phone]. Card [card] was charged twice.',
    );
    expect(counts).toEqual({ email: 1, phone: 2, card: 1, nric: 1, custom: 0 });
  });

  it('leaves look-alikes that fail their checksum, order numbers and prices alone', () => {
    const input =
      'Order 4111111111111112, NRIC-like S1234567A, ticket TKT-1042, total S$129.90 on 2026-11-21.';
    expect(redactPii(input).text).toBe(input);
  });

  it('applies configured patterns', () => {
    expect(redactPii('Member PX-99812 here', [/PX-\d{5}/]).text).toBe('Member [redacted] here');
  });
});
