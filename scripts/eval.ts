// `npm run eval -- classify --train FILE [--test FILE] [--json]`
// `npm run eval -- retrieval --corpus FILE --queries FILE [--json]`
// Measures Tandem's own classifier and retrieval on labelled data, on a throwaway embedded
// database: never the user's data. With --json the last line is one JSON object.
import { parseArgs } from 'node:util';
import { runClassifyEval } from './eval/classify';
import { runRetrievalEval } from './eval/retrieval';

const usage = `usage:
  npm run eval -- classify  --train FILE [--test FILE] [--json]
  npm run eval -- retrieval --corpus FILE --queries FILE [--json]`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      corpus: { type: 'string' },
      queries: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [task] = positionals;
  if (values.help) {
    console.log(usage);
    return;
  }
  if (task === 'classify' && values.train) {
    await runClassifyEval({ train: values.train, test: values.test, json: values.json });
  } else if (task === 'retrieval' && values.corpus && values.queries) {
    await runRetrievalEval({ corpus: values.corpus, queries: values.queries, json: values.json });
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
