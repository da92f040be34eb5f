const optional = (value: string | undefined) => (value === '' ? undefined : value);

/** The only place tests read the environment. */
export const testEnv = {
  databaseUrl: optional(process.env.TEST_DATABASE_URL),
  redisUrl: optional(process.env.TEST_REDIS_URL),
};
