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
}
