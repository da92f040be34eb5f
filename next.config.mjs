import { createJiti } from 'jiti';

// Validating here makes a bad variable stop `next build` and `next start` with its name.
const jiti = createJiti(import.meta.url);
const { getConfig } = await jiti.import('./lib/config.ts');
getConfig();

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
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
