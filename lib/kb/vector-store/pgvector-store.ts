import { type SQL, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import type { ScannableVectorStore } from './mirrored-store';
import type { VectorPoint } from './types';

const TABLE = sql.raw('kb_chunk_vectors');
const UPSERT_BATCH = 200;
// Serialises table (re)creation between instances starting together on one server.
const SCHEMA_LOCK_ID = 7_361_043;

/**
 * Chunk vectors in a pgvector table beside kb_chunks, in PGlite or on a PostgreSQL server. The
 * table is not in the drizzle schema, so a server without pgvector still migrates; it is created
 * here once the extension is known to work. Rows reference kb_chunks with ON DELETE CASCADE, so
 * deleting or re-indexing a document can never leave vectors behind.
 *
 * Vectors are stored unit-length and ranked by inner product, which equals cosine similarity for
 * unit vectors and is markedly cheaper to compute than pgvector's cosine distance. Search is an
 * exact scan: a help center's few thousand chunks scan in a few milliseconds, and exactness keeps
 * category-filtered searches from coming back short, as an approximate (HNSW) index can.
 */
export function createPgvectorStore(db: Database): ScannableVectorStore {
  let readyFor: number | undefined;
  let tableSeen = false;

  /** Before ensureReady the table may not exist yet: reads then find nothing rather than fail. */
  const tableExists = async () => {
    if (tableSeen) return true;
    const [row] = rowsOf<{ found: boolean }>(
      await db.execute(sql`select to_regclass('kb_chunk_vectors') is not null as found`),
    );
    tableSeen = row?.found === true;
    return tableSeen;
  };

  return {
    kind: 'pgvector',

    async ensureReady(dimensions) {
      if (readyFor === dimensions) return;
      if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) {
        throw new Error(`Cannot store vectors of ${dimensions} dimensions in pgvector`);
      }
      await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_ID})`);
        const [column] = rowsOf<{ type: string }>(
          await tx.execute(sql`
            select format_type(a.atttypid, a.atttypmod) as type
            from pg_attribute a
            where a.attrelid = to_regclass('kb_chunk_vectors') and a.attname = 'embedding'`),
        );
        // A different size means a different embedding model: its vectors cannot be compared
        // with the new model's, so they are dropped and the knowledge base embeds chunks anew.
        if (column && column.type !== `vector(${dimensions})`) {
          await tx.execute(sql`drop table ${TABLE}`);
        }
        await tx.execute(sql`
          create table if not exists ${TABLE} (
            chunk_id uuid primary key references kb_chunks(id) on delete cascade,
            document_id uuid not null,
            category text,
            language text not null default 'en',
            embedding vector(${sql.raw(String(dimensions))}) not null
          )`);
        await tx.execute(
          sql`create index if not exists kb_chunk_vectors_document_idx on ${TABLE} (document_id)`,
        );
      });
      readyFor = dimensions;
      tableSeen = true;
    },

    async upsert(points) {
      for (let start = 0; start < points.length; start += UPSERT_BATCH) {
        const rows = points.slice(start, start + UPSERT_BATCH).map(toRow);
        // Joining kb_chunks skips chunks deleted meanwhile (a concurrent re-index) instead of
        // failing the whole batch on the foreign key.
        await db.execute(sql`
          insert into ${TABLE} (chunk_id, document_id, category, language, embedding)
          select v.chunk_id::uuid, v.document_id::uuid, v.category, v.language, v.embedding::vector
          from (values ${sql.join(rows, sql`, `)})
            as v(chunk_id, document_id, category, language, embedding)
          join kb_chunks c on c.id = v.chunk_id::uuid
          on conflict (chunk_id) do update set
            document_id = excluded.document_id,
            category = excluded.category,
            language = excluded.language,
            embedding = excluded.embedding`);
      }
    },

    async deleteByDocument(documentId) {
      if (!(await tableExists())) return;
      await db.execute(sql`delete from ${TABLE} where document_id = ${documentId}::uuid`);
    },

    async search(vector, { limit, category }) {
      if (!(await tableExists())) return [];
      const query = toVectorLiteral(vector);
      const filter = category === undefined ? sql`` : sql`where category = ${category}`;
      const rows = rowsOf<{ id: string; score: number | string }>(
        await db.execute(sql`
          select chunk_id as id, -(embedding <#> ${query}::vector) as score
          from ${TABLE} ${filter}
          order by embedding <#> ${query}::vector
          limit ${limit}`),
      );
      return rows.map((row) => ({ id: row.id, score: Number(row.score) }));
    },

    async count() {
      if (!(await tableExists())) return 0;
      const [row] = rowsOf<{ n: number | string }>(
        await db.execute(sql`select count(*)::int as n from ${TABLE}`),
      );
      return Number(row?.n ?? 0);
    },

    async listIds() {
      if (!(await tableExists())) return new Set<string>();
      const rows = rowsOf<{ id: string }>(
        await db.execute(sql`select chunk_id as id from ${TABLE}`),
      );
      return new Set(rows.map((row) => row.id));
    },

    async scan() {
      if (!(await tableExists())) return [];
      const rows = rowsOf<{
        id: string;
        document_id: string;
        category: string | null;
        language: string;
        embedding: string;
      }>(
        await db.execute(
          sql`select chunk_id as id, document_id, category, language, embedding::text as embedding from ${TABLE}`,
        ),
      );
      return rows.map((row) => ({
        id: row.id,
        vector: JSON.parse(row.embedding) as number[],
        payload: { documentId: row.document_id, category: row.category, language: row.language },
      }));
    },

    async deleteIds(ids) {
      if (ids.length === 0 || !(await tableExists())) return;
      for (let start = 0; start < ids.length; start += UPSERT_BATCH) {
        const batch = ids.slice(start, start + UPSERT_BATCH).map((id) => sql`${id}::uuid`);
        await db.execute(sql`delete from ${TABLE} where chunk_id in (${sql.join(batch, sql`, `)})`);
      }
    },

    async close() {
      // The database handle belongs to the app, which closes it.
    },
  };
}

/**
 * Loads pgvector into the database if it can be: true on PGlite (opened with the extension) and
 * on servers that have pgvector installed, false where CREATE EXTENSION fails.
 */
export async function enablePgvector(db: Database): Promise<{ ok: boolean; reason?: string }> {
  try {
    await db.execute(sql`create extension if not exists vector`);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function toRow(point: VectorPoint): SQL {
  const { documentId, category, language } = point.payload;
  return sql`(${point.id}, ${documentId}, ${category}::text, ${language}::text, ${toVectorLiteral(point.vector)})`;
}

/** pgvector's text form of a unit-length copy of the vector; six decimals are float4's precision. */
function toVectorLiteral(vector: readonly number[]): string {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return `[${vector.map((value) => Number((value * scale).toPrecision(6))).join(',')}]`;
}
