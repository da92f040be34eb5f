import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '@/lib/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = parseConfig({});
    expect(config.database).toEqual({ driver: 'pglite', dataDir: './.data' });
    expect(config.cache).toEqual({ kind: 'memory', prefix: 'tandem:' });
    expect(config.model).toEqual({ provider: 'offline', tokenDelayMs: 15 });
    expect(config.chat).toEqual({
      maxMessageChars: 4000,
      answerMinConfidence: 0.35,
      maxAttachmentBytes: 5 * 1024 * 1024,
    });
    expect(config.kb).toEqual({
      vectors: { kind: 'database' },
      embeddingModel: 'text-embedding-3-small',
      chunking: { maxChars: 1200, overlapChars: 150 },
      allowPrivateUrls: false,
      maxUploadBytes: 10 * 1024 * 1024,
      sentenceEncoder: 'none',
    });
    expect(config.escalation).toEqual({
      frustration: 0.8,
      frustratedMessages: 3,
      frustratedAt: 0.5,
      lowConfidenceStreak: 2,
      decliningWindow: 3,
    });
    expect(config.accounts.admin).toEqual({ email: 'admin@tandem.local', password: undefined });
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', REDIS_URL: '  ' }).database.driver).toBe('pglite');
  });

  it('switches each engine on by its variable, DATABASE_URL before POSTGRES_URL', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://u@db:5432/tandem',
      POSTGRES_URL: 'postgres://u@neon-pooler.example/db',
      UPSTASH_REDIS_REST_URL: 'https://x.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 't',
      TANDEM_CACHE_PREFIX: 'acme:',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.1',
    });
    expect(config.database).toEqual({ driver: 'pg', url: 'postgres://u@db:5432/tandem' });
    expect(config.cache).toEqual({
      kind: 'upstash',
      url: 'https://x.upstash.io',
      token: 't',
      prefix: 'acme:',
    });
    expect(config.model).toEqual({
      provider: 'openai',
      apiKey: 'sk-test',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1',
      redactPatterns: [],
    });
    expect(parseConfig({ POSTGRES_URL: 'postgres://u@h/db' }).database.driver).toBe(
      'vercel-postgres',
    );
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).cache.kind).toBe('ioredis');
    expect(parseConfig({ QDRANT_URL: 'http://127.0.0.1:6333' }).kb.vectors).toEqual({
      kind: 'qdrant',
      url: 'http://127.0.0.1:6333',
      apiKey: undefined,
      collection: 'tandem_kb',
    });
    expect(parseConfig({ TANDEM_ALLOW_PRIVATE_URLS: 'true' }).kb.allowPrivateUrls).toBe(true);
  });

  it('asks for consent unless TANDEM_CONSENT_REQUIRED turns it off', () => {
    expect(parseConfig({}).consent).toEqual({ requiredByDefault: true });
    expect(parseConfig({ TANDEM_CONSENT_REQUIRED: 'false' }).consent.requiredByDefault).toBe(false);
    expect(parseConfig({ TANDEM_CONSENT_REQUIRED: '0' }).consent.requiredByDefault).toBe(false);
  });

  it('names every bad variable', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'mysql://nope',
        TANDEM_MAX_MESSAGE_CHARS: 'lots',
        TANDEM_ADMIN_EMAIL: 'not-an-email',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a URL starting with postgres:\/\//),
      expect.stringMatching(/^TANDEM_ADMIN_EMAIL /),
      expect.stringMatching(/^TANDEM_MAX_MESSAGE_CHARS /),
      expect.stringMatching(/^LOG_LEVEL /),
    ]);
  });

  it('applies cross-field rules', () => {
    expect(problemsOf({ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' })).toEqual([
      'UPSTASH_REDIS_REST_TOKEN is required when UPSTASH_REDIS_REST_URL is set',
    ]);
    expect(problemsOf({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual([
      'OPENAI_API_KEY is required when OPENAI_BASE_URL is set (any non-empty value for servers that take no key)',
    ]);
    expect(problemsOf({ TANDEM_SECRET: 'short' })).toEqual([
      'TANDEM_SECRET must be at least 32 characters',
    ]);
    expect(problemsOf({ TANDEM_ANSWER_MIN_CONFIDENCE: '1.5' })[0]).toMatch(
      /^TANDEM_ANSWER_MIN_CONFIDENCE /,
    );
  });

  it('documents every variable in .env.example', async () => {
    const { readFile } = await import('node:fs/promises');
    const example = await readFile('.env.example', 'utf8');
    const documented = new Set([...example.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('stops `next start` with the variable named when configuration is bad', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('./next.config.mjs')"],
      { env: { ...process.env, REDIS_URL: 'http://wrong-scheme' }, encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('REDIS_URL must be a URL starting with redis:// or rediss://');
  });

  it('reads extra redaction patterns as regular expressions, and refuses a bad list', () => {
    const config = parseConfig({ OPENAI_API_KEY: 'k', TANDEM_REDACT_PATTERNS: '["PX-\\\\d{5}"]' });
    expect(
      config.model.provider === 'openai' && config.model.redactPatterns.map((p) => p.source),
    ).toEqual(['PX-\\d{5}']);
    expect(() => parseConfig({ TANDEM_REDACT_PATTERNS: 'PX-1' })).toThrow(
      'TANDEM_REDACT_PATTERNS must be a JSON array',
    );
  });
});
