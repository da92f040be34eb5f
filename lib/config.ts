import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = (protocols: string[]) =>
  optionalString.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** `10.0.0.0/8`, `fd00::/8` or a single address such as `127.0.0.1`. */
function isAddressOrRange(entry: string): boolean {
  try {
    if (entry.includes('/')) ipaddr.parseCIDR(entry);
    else ipaddr.parse(entry);
    return true;
  } catch {
    return false;
  }
}

const optionalEmail = optionalString.pipe(z.email().optional());

const number = (fallback: number, min: number, max: number) =>
  optionalString
    .pipe(z.coerce.number<string | undefined>().min(min).max(max).optional())
    .transform((v) => v ?? fallback);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    TANDEM_DATA_DIR: optionalString,
    TANDEM_DEMO: z
      .enum(['true', 'false', '1', '0', ''], {
        error: 'must be true or false (or empty for the default)',
      })
      .optional()
      .transform((v) => (v === '' || v === undefined ? undefined : v === 'true' || v === '1')),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    POSTGRES_URL: optionalUrl(['postgres:', 'postgresql:']),
    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    UPSTASH_REDIS_REST_URL: optionalUrl(['http:', 'https:']),
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    TANDEM_CACHE_PREFIX: optionalString,
    TANDEM_SECRET: optionalString.pipe(
      z.string().min(32, 'must be at least 32 characters').optional(),
    ),
    TANDEM_ADMIN_EMAIL: optionalEmail,
    TANDEM_ADMIN_PASSWORD: optionalString.pipe(
      z.string().min(8, 'must be at least 8 characters').optional(),
    ),
    TANDEM_AGENT_EMAIL: optionalEmail,
    TANDEM_AGENT_PASSWORD: optionalString.pipe(
      z.string().min(8, 'must be at least 8 characters').optional(),
    ),
    NEXTAUTH_URL: optionalUrl(['http:', 'https:']),
    /** The port this process serves on (`next start` and `npm start` set it). */
    PORT: number(3000, 0, 65_535),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl(['http:', 'https:']),
    OPENAI_MODEL: optionalString,
    TANDEM_ANSWER_MIN_CONFIDENCE: number(0.35, 0, 1),
    TANDEM_MAX_MESSAGE_CHARS: number(4000, 1, 100_000),
    TANDEM_OFFLINE_TOKEN_DELAY_MS: number(15, 0, 1000),
    OPENAI_EMBEDDING_MODEL: optionalString,
    TANDEM_SENTENCE_ENCODER: z.enum(['none', 'use-lite']).default('none'),
    TANDEM_REDACT_PATTERNS: optionalString.pipe(
      z
        .string()
        .transform((value, ctx) => {
          try {
            const list = JSON.parse(value) as unknown;
            if (!Array.isArray(list) || !list.every((p) => typeof p === 'string'))
              throw new Error();
            return list.map((p) => new RegExp(p, 'g'));
          } catch {
            ctx.addIssue({
              code: 'custom',
              message: 'must be a JSON array of regular expressions, e.g. ["PX-\\d{5}"]',
            });
            return z.NEVER;
          }
        })
        .optional(),
    ),
    QDRANT_URL: optionalUrl(['http:', 'https:']),
    QDRANT_API_KEY: optionalString,
    QDRANT_COLLECTION: optionalString,
    TANDEM_CHUNK_MAX_CHARS: number(1200, 200, 20_000),
    TANDEM_CHUNK_OVERLAP_CHARS: number(150, 0, 2000),
    TANDEM_ALLOW_PRIVATE_URLS: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    TANDEM_MAX_UPLOAD_BYTES: number(10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    TANDEM_ACTIONS_ALLOWED_HOSTS: optionalString.pipe(
      z
        .string()
        .transform((value, ctx) => {
          const entries = value.split(',').map((entry) => entry.trim().toLowerCase());
          const invalid = entries.filter(
            (entry) =>
              !isAddressOrRange(entry) && !/^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(entry),
          );
          if (invalid.length === 0) return entries;
          ctx.addIssue({
            code: 'custom',
            message: `must be a comma-separated list of host names (*.example.internal), addresses and CIDR ranges; not ${invalid.join(', ')}`,
          });
          return z.NEVER;
        })
        .optional(),
    ),
    TANDEM_MAX_ATTACHMENT_BYTES: number(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    TANDEM_CLASSIFY_CACHE_TTL_SECONDS: number(86_400, 0, 30 * 86_400),
    TANDEM_MEMORY_WINDOW: number(12, 2, 100),
    TANDEM_SUMMARY_EVERY: number(10, 4, 500),
    TANDEM_ESCALATE_FRUSTRATION: number(0.8, 0, 1),
    TANDEM_ESCALATE_FRUSTRATED_MESSAGES: number(3, 1, 20),
    TANDEM_ESCALATE_FRUSTRATED_AT: number(0.5, 0, 1),
    TANDEM_ESCALATE_LOW_CONFIDENCE_STREAK: number(2, 1, 20),
    TANDEM_ESCALATE_DECLINING_WINDOW: number(3, 2, 20),
    TANDEM_JOBS_WORKER: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
    TANDEM_JOBS_POLL_MS: number(500, 50, 60_000),
    TANDEM_JOBS_CONCURRENCY: number(4, 1, 64),
    TANDEM_JOBS_LEASE_SECONDS: number(60, 1, 3600),
    TANDEM_JOBS_RETRY_BASE_MS: number(5000, 10, 3_600_000),
    TANDEM_WEBHOOK_TIMEOUT_MS: number(10_000, 100, 60_000),
    TANDEM_WEBHOOK_MAX_ATTEMPTS: number(8, 1, 30),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    TANDEM_METRICS_TOKEN: optionalString.pipe(
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    TANDEM_AI_TELEMETRY: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    TANDEM_CONSENT_REQUIRED: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
    TANDEM_WIDGET_MESSAGES_PER_MINUTE: number(20, 1, 10_000),
    TANDEM_WIDGET_CONVERSATIONS_PER_HOUR: number(30, 1, 100_000),
    TANDEM_SIGNIN_FAILURES_PER_ACCOUNT: number(10, 1, 1000),
    TANDEM_SIGNIN_FAILURES_PER_ADDRESS: number(30, 1, 100_000),
    TANDEM_TRUSTED_PROXIES: optionalString.pipe(
      z
        .string()
        .transform((value, ctx): TrustedProxies => {
          if (/^\d+$/.test(value)) {
            const hops = Number(value);
            if (hops <= 64) return hops === 0 ? { kind: 'none' } : { kind: 'hops', hops };
          } else {
            const ranges = value.split(',').map((entry) => entry.trim());
            const invalid = ranges.filter((entry) => !isAddressOrRange(entry));
            if (ranges.length > 0 && invalid.length === 0) return { kind: 'ranges', ranges };
          }
          ctx.addIssue({
            code: 'custom',
            message:
              'must be a number of proxy hops (e.g. 1) or a comma-separated list of addresses and CIDR ranges (e.g. 10.0.0.0/8,::1)',
          });
          return z.NEVER;
        })
        .optional(),
    ),
    SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
    TANDEM_EMAIL_FROM: optionalString,
    TANDEM_TEAM_EMAIL: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.UPSTASH_REDIS_REST_URL && !env.UPSTASH_REDIS_REST_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['UPSTASH_REDIS_REST_TOKEN'],
        message: 'is required when UPSTASH_REDIS_REST_URL is set',
      });
    }
    if (env.SMTP_URL && !env.TANDEM_EMAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['TANDEM_EMAIL_FROM'],
        message:
          'is required when SMTP_URL is set (the sender address, e.g. Support <help@example.com>)',
      });
    }
    for (const name of ['OPENAI_BASE_URL', 'OPENAI_MODEL'] as const) {
      if (env[name] && !env.OPENAI_API_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['OPENAI_API_KEY'],
          message: `is required when ${name} is set (any non-empty value for servers that take no key)`,
        });
      }
    }
  });

/** Every variable Tandem reads; `.env.example` documents each one. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

export type DatabaseConfig =
  | { driver: 'pglite'; dataDir: string }
  | { driver: 'pg'; url: string }
  | { driver: 'vercel-postgres'; url: string };

export type CacheConfig =
  | { kind: 'memory'; prefix: string }
  | { kind: 'ioredis'; url: string; prefix: string }
  | { kind: 'upstash'; url: string; token: string; prefix: string };

export type ModelConfig =
  | { provider: 'offline'; tokenDelayMs: number }
  | {
      provider: 'openai';
      apiKey: string;
      baseURL?: string;
      model: string;
      /** Extra patterns removed, with the built-in ones, from all text sent to the model. */
      redactPatterns: RegExp[];
    };

/**
 * Which reverse proxies in front of Tandem may report the client's address in X-Forwarded-For:
 * none (the header is ignored), the nearest `hops` proxies, or those whose address is in `ranges`.
 */
export type TrustedProxies =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'ranges'; ranges: string[] };

export interface AccountSeed {
  email: string;
  password?: string;
}

export type VectorConfig =
  | { kind: 'database' }
  | { kind: 'qdrant'; url: string; apiKey?: string; collection: string };

/** When the turn brings in a person (defaults from the environment, overridden in settings). */
export interface EscalationThresholds {
  /** Frustration on a single message that brings in a person at once. */
  frustration: number;
  /** How many frustrated messages in one conversation bring in a person; below 1 turns it off. */
  frustratedMessages: number;
  /** Frustration at or above which a message counts as frustrated. */
  frustratedAt: number;
  /** Low-confidence answers in a row that bring in a person; below 1 turns it off. */
  lowConfidenceStreak: number;
  /** Latest messages examined for a declining trend; below 2 turns it off. */
  decliningWindow: number;
}
export interface Config {
  env: 'development' | 'production' | 'test';
  database: DatabaseConfig;
  cache: CacheConfig;
  model: ModelConfig;
  secret?: string;
  accounts: { admin: AccountSeed; agent: AccountSeed };
  /**
   * Whether this desk installs and shows the demo (its help center, customers and shop, from content/).
   * TANDEM_DEMO decides; unset, only the all-embedded desk (no database server) is a demo, so a
   * deployment with its own database starts clean.
   */
  demo: boolean;
  /** Staff sign-in: cookies are marked Secure when Tandem's public URL is https. */
  auth: { url?: string; secureCookies: boolean };
  /**
   * Where this desk is reached: its public URL (NEXTAUTH_URL), else this machine on its port. The
   * demo content's actions call the demo shop the desk serves here.
   */
  deskUrl: string;
  chat: { maxMessageChars: number; answerMinConfidence: number; maxAttachmentBytes: number };
  kb: {
    vectors: VectorConfig;
    /** The embedding model behind an OpenAI key, or 'offline' for the built-in embedding. */
    embeddingModel: string;
    /**
     * The local sentence encoder beside the built-in embedding when no hosted embedding model is
     * used: 'use-lite' (Universal Sentence Encoder lite, English, loaded on first use) or 'none'.
     */
    sentenceEncoder: 'none' | 'use-lite';
    chunking: { maxChars: number; overlapChars: number };
    allowPrivateUrls: boolean;
    maxUploadBytes: number;
  };
  classify: { cacheTtlSeconds: number };
  memory: { window: number; summaryEvery: number };
  /**
   * Admin-defined actions: private or loopback hosts they may call besides public ones (the
   * address guard refuses every other non-public address unless kb.allowPrivateUrls is on).
   */
  actions: { allowedHosts: string[] };
  escalation: EscalationThresholds;
  jobs: {
    /** Whether this process runs background jobs (any number of instances may). */
    worker: boolean;
    pollMs: number;
    concurrency: number;
    leaseMs: number;
    retryBaseMs: number;
  };
  webhooks: { timeoutMs: number; maxAttempts: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  observability: {
    /** Bearer token that may read /api/metrics besides an admin session. */
    metricsToken?: string;
    /** Send AI SDK spans to the OpenTelemetry tracer provider registered in the process. */
    aiTelemetry: boolean;
  };
  widgetLimits: { messagesPerMinute: number; conversationsPerHour: number };
  /** Failed staff sign-ins allowed per account and per client address in each window. */
  signInLimits: { failuresPerAccount: number; failuresPerAddress: number; windowSeconds: number };
  trustedProxies: TrustedProxies;
  /**
   * Whether customers must answer the consent notice before the AI handles their messages, unless
   * an admin has chosen otherwise in the settings (on by default).
   */
  consent: { requiredByDefault: boolean };
  /** Outbound mail; null when SMTP_URL is not set, and then nothing is sent. */
  email: { smtpUrl: string; from: string; teamAddress?: string } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: turns an environment into the typed config, or throws a ConfigError naming each variable. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
      ),
    );
  }
  const env = parsed.data;
  const prefix = env.TANDEM_CACHE_PREFIX ?? 'tandem:';

  const database: DatabaseConfig = env.DATABASE_URL
    ? { driver: 'pg', url: env.DATABASE_URL }
    : env.POSTGRES_URL
      ? { driver: 'vercel-postgres', url: env.POSTGRES_URL }
      : { driver: 'pglite', dataDir: env.TANDEM_DATA_DIR ?? './.data' };

  const cache: CacheConfig = env.REDIS_URL
    ? { kind: 'ioredis', url: env.REDIS_URL, prefix }
    : env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
      ? {
          kind: 'upstash',
          url: env.UPSTASH_REDIS_REST_URL,
          token: env.UPSTASH_REDIS_REST_TOKEN,
          prefix,
        }
      : { kind: 'memory', prefix };

  const model: ModelConfig = env.OPENAI_API_KEY
    ? {
        provider: 'openai',
        apiKey: env.OPENAI_API_KEY,
        baseURL: env.OPENAI_BASE_URL,
        model: env.OPENAI_MODEL ?? 'gpt-4o-mini',
        redactPatterns: env.TANDEM_REDACT_PATTERNS ?? [],
      }
    : { provider: 'offline', tokenDelayMs: env.TANDEM_OFFLINE_TOKEN_DELAY_MS };

  return {
    env: env.NODE_ENV,
    database,
    cache,
    model,
    secret: env.TANDEM_SECRET,
    accounts: {
      admin: {
        email: env.TANDEM_ADMIN_EMAIL ?? 'admin@tandem.local',
        password: env.TANDEM_ADMIN_PASSWORD,
      },
      agent: {
        email: env.TANDEM_AGENT_EMAIL ?? 'agent@tandem.local',
        password: env.TANDEM_AGENT_PASSWORD,
      },
    },
    demo: env.TANDEM_DEMO ?? database.driver === 'pglite',
    deskUrl: env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : `http://localhost:${env.PORT}`,
    auth: {
      url: env.NEXTAUTH_URL,
      secureCookies: env.NEXTAUTH_URL?.startsWith('https://') ?? false,
    },
    chat: {
      maxMessageChars: env.TANDEM_MAX_MESSAGE_CHARS,
      answerMinConfidence: env.TANDEM_ANSWER_MIN_CONFIDENCE,
      maxAttachmentBytes: env.TANDEM_MAX_ATTACHMENT_BYTES,
    },
    kb: {
      vectors: env.QDRANT_URL
        ? {
            kind: 'qdrant',
            url: env.QDRANT_URL,
            apiKey: env.QDRANT_API_KEY,
            collection: env.QDRANT_COLLECTION ?? 'tandem_kb',
          }
        : { kind: 'database' },
      // OpenAI itself serves embeddings; other compatible servers may not, so they default to ours.
      embeddingModel:
        env.OPENAI_EMBEDDING_MODEL ?? (env.OPENAI_BASE_URL ? 'offline' : 'text-embedding-3-small'),
      sentenceEncoder: env.TANDEM_SENTENCE_ENCODER,
      chunking: {
        maxChars: env.TANDEM_CHUNK_MAX_CHARS,
        overlapChars: env.TANDEM_CHUNK_OVERLAP_CHARS,
      },
      allowPrivateUrls: env.TANDEM_ALLOW_PRIVATE_URLS,
      maxUploadBytes: env.TANDEM_MAX_UPLOAD_BYTES,
    },
    classify: { cacheTtlSeconds: env.TANDEM_CLASSIFY_CACHE_TTL_SECONDS },
    actions: { allowedHosts: env.TANDEM_ACTIONS_ALLOWED_HOSTS ?? [] },
    memory: { window: env.TANDEM_MEMORY_WINDOW, summaryEvery: env.TANDEM_SUMMARY_EVERY },
    escalation: {
      frustration: env.TANDEM_ESCALATE_FRUSTRATION,
      frustratedMessages: env.TANDEM_ESCALATE_FRUSTRATED_MESSAGES,
      frustratedAt: env.TANDEM_ESCALATE_FRUSTRATED_AT,
      lowConfidenceStreak: env.TANDEM_ESCALATE_LOW_CONFIDENCE_STREAK,
      decliningWindow: env.TANDEM_ESCALATE_DECLINING_WINDOW,
    },
    jobs: {
      worker: env.TANDEM_JOBS_WORKER,
      pollMs: env.TANDEM_JOBS_POLL_MS,
      concurrency: env.TANDEM_JOBS_CONCURRENCY,
      leaseMs: env.TANDEM_JOBS_LEASE_SECONDS * 1000,
      retryBaseMs: env.TANDEM_JOBS_RETRY_BASE_MS,
    },
    webhooks: {
      timeoutMs: env.TANDEM_WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.TANDEM_WEBHOOK_MAX_ATTEMPTS,
    },
    logLevel: env.LOG_LEVEL,
    observability: {
      metricsToken: env.TANDEM_METRICS_TOKEN,
      aiTelemetry: env.TANDEM_AI_TELEMETRY,
    },
    widgetLimits: {
      messagesPerMinute: env.TANDEM_WIDGET_MESSAGES_PER_MINUTE,
      conversationsPerHour: env.TANDEM_WIDGET_CONVERSATIONS_PER_HOUR,
    },
    signInLimits: {
      failuresPerAccount: env.TANDEM_SIGNIN_FAILURES_PER_ACCOUNT,
      failuresPerAddress: env.TANDEM_SIGNIN_FAILURES_PER_ADDRESS,
      windowSeconds: 15 * 60,
    },
    trustedProxies: env.TANDEM_TRUSTED_PROXIES ?? { kind: 'none' },
    consent: { requiredByDefault: env.TANDEM_CONSENT_REQUIRED },
    email:
      env.SMTP_URL && env.TANDEM_EMAIL_FROM
        ? { smtpUrl: env.SMTP_URL, from: env.TANDEM_EMAIL_FROM, teamAddress: env.TANDEM_TEAM_EMAIL }
        : null,
  };
}

let cached: Config | undefined;

/** The process's config, read once from the environment. */
export function getConfig(): Config {
  if (!cached) {
    cached = parseConfig(process.env);
    // next-auth reads NEXTAUTH_URL itself and fails on an empty one; empty means unset here.
    if (process.env.NEXTAUTH_URL?.trim() === '') delete process.env.NEXTAUTH_URL;
  }
  return cached;
}
