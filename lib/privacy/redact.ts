import { findPhoneNumbersInText } from 'libphonenumber-js';

export type PiiKind = 'email' | 'phone' | 'card' | 'nric' | 'custom';

export interface Redaction {
  text: string;
  /** How many of each kind were replaced. */
  counts: Record<PiiKind, number>;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 13–19 digits, optionally in groups separated by single spaces or dashes.
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;
const NRIC = /\b([STFGM])(\d{7})([A-Z])\b/gi;

/** Luhn checksum, as every payment card number carries. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

const NRIC_WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
const NRIC_LETTERS: Record<string, { offset: number; letters: string }> = {
  S: { offset: 0, letters: 'JZIHGFEDCBA' },
  T: { offset: 4, letters: 'JZIHGFEDCBA' },
  F: { offset: 0, letters: 'XWUTRQPNMLK' },
  G: { offset: 4, letters: 'XWUTRQPNMLK' },
  M: { offset: 3, letters: 'XWUTRQPNJLK' },
};

/** A Singapore NRIC or FIN with a correct check letter (S/T, F/G and M series). */
export function isValidNric(value: string): boolean {
  const match = /^([STFGM])(\d{7})([A-Z])$/i.exec(value.trim());
  if (!match) return false;
  const series = NRIC_LETTERS[match[1]!.toUpperCase()]!;
  const sum = [...match[2]!].reduce((s, d, i) => s + Number(d) * NRIC_WEIGHTS[i]!, series.offset);
  return series.letters[sum % 11] === match[3]!.toUpperCase();
}

/**
 * Replaces personal data in text with placeholders ([email], [phone], [card], [nric],
 * [redacted]) before it leaves for an external model. Only checksum-valid card numbers and NRICs
 * are taken, so order numbers and codes that merely look alike pass through.
 */
export function redactPii(text: string, customPatterns: readonly RegExp[] = []): Redaction {
  const counts: Record<PiiKind, number> = { email: 0, phone: 0, card: 0, nric: 0, custom: 0 };
  let out = text.replace(CARD_CANDIDATE, (candidate) => {
    const digits = candidate.replace(/\D/g, '');
    if (!isLuhnValid(digits)) return candidate;
    counts.card++;
    return '[card]';
  });
  out = out.replace(NRIC, (candidate) => {
    if (!isValidNric(candidate)) return candidate;
    counts.nric++;
    return '[nric]';
  });
  out = out.replace(EMAIL, () => {
    counts.email++;
    return '[email]';
  });
  // Phone numbers in any international form, and Singapore numbers written locally.
  const phones = findPhoneNumbersInText(out, { defaultCountry: 'SG' });
  for (const phone of [...phones].reverse()) {
    out = `${out.slice(0, phone.startsAt)}[phone]${out.slice(phone.endsAt)}`;
    counts.phone++;
  }
  for (const pattern of customPatterns) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    out = out.replace(global, () => {
      counts.custom++;
      return '[redacted]';
    });
  }
  return { text: out, counts };
}
