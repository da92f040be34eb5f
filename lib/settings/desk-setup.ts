import { z } from 'zod';
import type { Database } from '@/db/client';
import { readStoredSetting, writeStoredSetting } from './queries';
import { HEX_COLOUR } from './schema';
import { readSetting, type SettingDefinition, saveWidgetSettings, writeSetting } from './settings';

/*
 * The first-run setup of a desk that started clean: what the first admin is walked through at
 * /admin/setup (names, look, languages, hours, help center, team, embed, tests), which steps they
 * have been to, and whether they finished. A desk that never had a setup record (a demo desk, or
 * one that predates the wizard) is treated as set up.
 */

export const SETUP_STEPS = ['business', 'hours', 'help-center', 'team', 'embed', 'tests'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

const SETUP_KEY = 'settings:setup';

const setupStateSchema = z.object({
  /** ISO time the admin finished the wizard; null while it is still to be done. */
  completedAt: z.string().nullable(),
  visited: z.array(z.enum(SETUP_STEPS)).default([]),
});
export type SetupState = z.infer<typeof setupStateSchema>;

/** The wizard's record, or null for a desk that was never asked to go through it. */
export async function getSetupState(db: Database): Promise<SetupState | null> {
  const parsed = setupStateSchema.safeParse(await readStoredSetting(db, SETUP_KEY));
  return parsed.success ? parsed.data : null;
}

/** Whether /admin should send the admin to the wizard. */
export async function isSetupPending(db: Database): Promise<boolean> {
  const state = await getSetupState(db);
  return state !== null && state.completedAt === null;
}

/** A new, clean desk: its first admin is taken through the wizard. */
export async function startSetup(db: Database): Promise<void> {
  await writeStoredSetting(db, SETUP_KEY, { completedAt: null, visited: [] });
}

export async function markStepVisited(db: Database, step: SetupStep): Promise<SetupState> {
  const state = (await getSetupState(db)) ?? { completedAt: null, visited: [] };
  const next = state.visited.includes(step)
    ? state
    : { ...state, visited: [...state.visited, step] };
  await writeStoredSetting(db, SETUP_KEY, next);
  return next;
}

export async function completeSetup(db: Database, now = new Date()): Promise<SetupState> {
  const state = (await getSetupState(db)) ?? { completedAt: null, visited: [] };
  const next = { ...state, completedAt: now.toISOString() };
  await writeStoredSetting(db, SETUP_KEY, next);
  return next;
}

/** Languages the assistant speaks (those its replies are written in); the first is the main one. */
export const LANGUAGES = { en: 'English', zh: '中文 (Chinese)', ms: 'Bahasa Melayu' } as const;
export type Language = keyof typeof LANGUAGES;
const languageSchema = z.enum(Object.keys(LANGUAGES) as [Language, ...Language[]]);

/** A logo small enough to keep in the settings: an https address or an uploaded image. */
const LOGO_MAX_CHARS = 200_000;
const logoSchema = z
  .string()
  .trim()
  .max(LOGO_MAX_CHARS, 'must be an image of at most about 140 KB')
  .refine((value) => {
    if (/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/.test(value)) return true;
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https:// address or a PNG, JPEG, GIF or WebP image');

export const brandingSchema = z.object({
  logo: logoSchema.optional(),
  languages: z
    .array(languageSchema)
    .min(1, 'choose at least one language')
    .transform((list) => [...new Set(list)]),
});
export type Branding = z.infer<typeof brandingSchema>;

const BRANDING: SettingDefinition<Branding> = {
  key: 'settings:branding',
  schema: brandingSchema,
  fallback: { languages: ['en'] },
};

export const getBranding = (db: Database) => readSetting(db, BRANDING);
export const saveBranding = (db: Database, value: Branding) => writeSetting(db, BRANDING, value);

/** The wizard's first step: who the desk is, how it looks, which languages it speaks. */
export const businessProfileSchema = z.object({
  businessName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(80, 'must be at most 80 characters'),
  assistantName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(60, 'must be at most 60 characters'),
  colour: z.string().trim().toLowerCase().regex(HEX_COLOUR, 'must be a hex colour such as #2057d1'),
  logo: logoSchema.optional(),
  languages: brandingSchema.shape.languages,
});
export type BusinessProfile = z.infer<typeof businessProfileSchema>;

const GREETINGS: Record<Language, (p: { assistant: string; business: string }) => string> = {
  en: ({ assistant, business }) =>
    `Hi! I’m ${assistant}, ${business}’s assistant. Ask me a question and I’ll answer from our help center, or bring in a person from our team.`,
  zh: ({ assistant, business }) =>
    `您好！我是${business}的智能助手${assistant}。请问有什么可以帮您？我会根据帮助中心回答，也可以为您转接人工客服。`,
  ms: ({ assistant, business }) =>
    `Hai! Saya ${assistant}, pembantu ${business}. Tanyakan soalan dan saya akan menjawab daripada pusat bantuan kami, atau membawa masuk seseorang daripada pasukan kami.`,
};

/** The greeting a profile gives the widget, in the main language. */
export function greetingFor(
  profile: Pick<BusinessProfile, 'businessName' | 'assistantName' | 'languages'>,
) {
  const language = profile.languages[0] ?? 'en';
  return GREETINGS[language]({ assistant: profile.assistantName, business: profile.businessName });
}

/**
 * Saves the profile where each part is read: names, colour and a greeting naming them in the
 * widget settings (so the widget, prompts and small talk use them), logo and languages beside.
 */
export async function saveBusinessProfile(db: Database, input: BusinessProfile) {
  const profile = businessProfileSchema.parse(input);
  const widget = await saveWidgetSettings(db, {
    name: profile.assistantName,
    businessName: profile.businessName,
    colour: profile.colour,
    greeting: greetingFor(profile),
  });
  const branding = await saveBranding(db, {
    ...(profile.logo ? { logo: profile.logo } : {}),
    languages: profile.languages,
  });
  return { widget, branding };
}
