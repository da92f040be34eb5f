import { z } from 'zod';

/** The seed taxonomy; admins can rename, add or remove categories. */
export const DEFAULT_CATEGORIES = [
  'billing',
  'account',
  'technical',
  'orders_shipping',
  'product_question',
  'feature_request',
  'complaint',
  'other',
] as const;

/** How the seed taxonomy's categories are named (admins may rename them in settings). */
export const DEFAULT_CATEGORY_NAMES: Record<(typeof DEFAULT_CATEGORIES)[number], string> = {
  billing: 'Billing',
  account: 'Account',
  technical: 'Technical',
  orders_shipping: 'Orders & shipping',
  product_question: 'Product question',
  feature_request: 'Feature request',
  complaint: 'Complaint',
  other: 'Other',
};

export const INTENTS = [
  'question',
  'request',
  'complaint',
  'greeting',
  'feedback',
  'asks_for_human',
] as const;

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export const sentimentSchema = z.object({
  /** −1 (very negative) … 1 (very positive). */
  polarity: z.number().min(-1).max(1),
  label: z.enum(['negative', 'neutral', 'positive']),
  /** 0 … 1: shouting, repetition, "still not working", "third time", 还是不行 … */
  frustration: z.number().min(0).max(1),
});

/** One structured reading of a customer message — the same shape offline and from a model. */
export const classificationSchema = z.object({
  category: z.string().min(1),
  intent: z.enum(INTENTS),
  priority: z.enum(PRIORITIES),
  sentiment: sentimentSchema,
  /** ISO 639-1 code: en, zh, ms, ta, … */
  language: z.string().min(2).max(8),
  summary: z.string().max(200),
  requiresHuman: z.boolean(),
  confidence: z.number().min(0).max(1),
});

export type Sentiment = z.infer<typeof sentimentSchema>;
export type Classification = z.infer<typeof classificationSchema>;
export type Intent = (typeof INTENTS)[number];
export type Priority = (typeof PRIORITIES)[number];
