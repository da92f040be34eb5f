/** How the built-in offline model names itself, shared by its lazy stand-in in lib/ai/models.ts. */
export const OFFLINE_PROVIDER = 'tandem';
export const OFFLINE_MODEL_ID = 'offline-extractive';
