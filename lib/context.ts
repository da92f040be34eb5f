import type { LanguageModel } from 'ai';
import type { DatabaseHandle } from '@/db/client';
import type { Cache } from '@/lib/cache/types';
import type { Config } from '@/lib/config';
import type { JobWorker } from '@/lib/jobs/worker';
import type { KnowledgeBase } from '@/lib/kb/types';
import type { VectorStore } from '@/lib/kb/vector-store';

/** Everything a request needs, opened once per process. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  cache: Cache;
  model: LanguageModel;
  kb: KnowledgeBase;
  vectors: VectorStore;
  /** Signs customer session cookies; shared by every instance on the same database. */
  secret: string;
  /** This process's background-job worker, unless TANDEM_JOBS_WORKER=false. */
  jobs?: JobWorker;
  /** Set only on a test sandbox (lib/server/sandbox.ts): how it stands in for the desk it copies. */
  sandbox?: SandboxHooks;
}

export interface SandboxHooks {
  /**
   * Answers a request for the desk's own address (config.deskUrl) in this process: a sandbox
   * serves no HTTP, and its actions must still reach the desk's own routes, on its own database.
   */
  serveOwnRequest?: (request: Request) => Promise<Response>;
  /** The site user a sandbox's copy of a customer stands for, so actions act as that user. */
  siteUserIdOf(externalId: string): string;
}
