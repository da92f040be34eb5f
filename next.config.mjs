import { createJiti } from 'jiti';

// Validating here makes a bad variable stop `next build` and `next start` with its name.
const jiti = createJiti(import.meta.url);
const { getConfig } = await jiti.import('./lib/config.ts');
const config = getConfig();
const { maxChatBodyBytes } = await jiti.import('./lib/conversations/attachment-rules.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  experimental: {
    // Next loads every route's server chunks at start by default; Turbopack repeats shared modules
    // in each route's chunks, so that held ~90 MiB of code a desk may never run. Routes load on
    // first request instead.
    preloadEntriesOnStart: false,
    // Next hands a route only the first proxyClientMaxBodySize bytes (10 MB by default) of a body
    // that went through proxy.ts, so a larger chat attachment or knowledge-base upload arrived cut
    // short ("not valid JSON"). The routes refuse oversized bodies themselves (413 with the limit);
    // one byte more than the largest they accept makes a cut body too large for them, not malformed.
    proxyClientMaxBodySize:
      Math.max(maxChatBodyBytes(config.chat), config.kb.maxUploadBytes + 64 * 1024) + 1,
  },
  // `npm test` type-checks the whole repository with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Native, WASM or worker-based packages load from node_modules at run time instead of the bundle.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pg',
    '@vercel/postgres',
    'ioredis',
    'pino',
    'bcryptjs',
    '@electric-sql/pglite-pgvector',
    'unpdf',
    'mammoth',
    'linkedom',
    'eld',
  ],
  outputFileTracingIncludes: {
    '/**': ['./db/migrations/**/*', './content/**/*'],
  },
};

export default nextConfig;
