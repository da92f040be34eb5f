import { defineConfig } from 'drizzle-kit';

// Only generates SQL from db/schema.ts; migrations are applied by the app at start-up (db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
