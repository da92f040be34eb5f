// `npm run eval -- classify --train FILE [--test FILE] [--json] [--cv 5] [--exclude-label oos]
//   [--encoder use-lite]`:
//   5-fold cross-validated unless a separate test file is given (--cv 0: the fixed 20 % split);
//   rows of an excluded label never train and count as out of scope in the test.
// `npm run eval -- retrieval --corpus FILE --queries FILE [--json] [--folds N] [--settings JSON]
//   [--encoder use-lite]`: dev figures of the shipped settings beside N-fold cross-validated ones
//   (settings chosen on the other folds); --folds 0 skips the cross-validation.
// Measures Tandem's own classifier and retrieval on labelled data, on a throwaway embedded
// database: never the user's data. With --json the last line is one JSON object.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runClassifyEval } from './eval/classify';
import { runConfidenceFit } from './eval/confidence';
import { runRetrievalEval } from './eval/retrieval';

const usage = `usage:
  npm run eval -- classify  --train FILE [--test FILE] [--json] [--cv 5]
                            [--exclude-label oos] [--encoder use-lite]
  npm run eval -- retrieval --corpus FILE --queries FILE [--json] [--folds 5]
                            [--settings '{"vectorWeight":1}'] [--encoder use-lite]
  npm run eval -- confidence [--data DIR] [--json]   (refits the answer confidence)`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      corpus: { type: 'string' },
      queries: { type: 'string' },
      folds: { type: 'string' },
      cv: { type: 'string' },
      'exclude-label': { type: 'string', multiple: true },
      data: { type: 'string' },
      settings: { type: 'string' },
      encoder: { type: 'string' },
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
    const folds = values.cv ?? values.folds;
    await runClassifyEval({
      train: values.train,
      test: values.test,
      json: values.json,
      folds: folds === undefined ? undefined : Number(folds),
      excludeLabels: values['exclude-label'],
      encoder: values.encoder === 'use-lite' ? 'use-lite' : 'none',
    });
  } else if (task === 'retrieval' && values.corpus && values.queries) {
    await runRetrievalEval({
      corpus: values.corpus,
      queries: values.queries,
      json: values.json,
      folds: values.folds === undefined ? 5 : Number(values.folds),
      settings: values.settings ? JSON.parse(values.settings) : undefined,
      encoder: values.encoder === 'use-lite' ? 'use-lite' : 'none',
    });
  } else if (task === 'confidence') {
    await runConfidenceFit({
      data: values.data ?? path.join(process.cwd(), '..', 'shared', 'eval'),
      demo: path.join(process.cwd(), 'content', 'kb'),
      json: values.json,
    });
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
