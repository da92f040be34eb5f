// The layers of ARCHITECTURE §1, checked by `npm run layers` (and so by `npm test`). Each layer
// imports only from the layers below it:
//   app/ + components/ (+ scripts/)   faces and command-line tools
//   lib/server/ + db/seed/            composition root: startApp/getApp, job handlers, first-run seed
//   lib/turn/                         a customer turn
//   lib/<domain>/                     conversations, kb, classify, memory, tickets, analytics, …
//   lib/context.ts, config, errors,   the type-only AppContext, the typed config, errors, logging
//   log, db/ (schema, client)         (with its request id), schema and the database client
// Type-only imports count too (tsPreCompilationDeps), so a circle of types is a circle.

const BOTTOM =
  '^(lib/(context|config|errors|log)\\.ts$|lib/observability/request-context\\.ts$|db/(?!seed/))';
const DOMAIN =
  '^lib/(?!(server|turn)/|(context|config|errors|log)\\.ts$|observability/request-context\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle (of values or of types): the lower module must not know the higher.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-not-to-faces',
      severity: 'error',
      comment:
        "lib/, db/ and scripts/ hold no page code: faces import them, never the reverse. One exception: the desk-test command line hands its sandbox the table of the desk's own routes (app/api/own-routes.ts), as the admin's run route does.",
      from: { path: '^(lib|db|scripts)/', pathNot: '^scripts/test-desk\\.ts$' },
      to: { path: '^(app|components)/' },
    },
    {
      name: 'lib-not-to-faces-test-desk',
      severity: 'error',
      comment: 'The desk-test command line imports only the own-routes table from the faces.',
      from: { path: '^scripts/test-desk\\.ts$' },
      to: { path: '^(app|components)/', pathNot: '^app/api/own-routes\\.ts$' },
    },
    {
      name: 'composition-root-on-top',
      severity: 'error',
      comment:
        'Only faces, scripts and tests start the app: nothing in lib/ below lib/server imports it, nor the seed.',
      from: { path: '^(lib/(?!server/)|db/(?!seed/))' },
      to: { path: '^(lib/server/|db/seed/)' },
    },
    {
      name: 'domains-below-the-turn',
      severity: 'error',
      comment: 'A domain module is used by the turn, never the reverse.',
      from: { path: DOMAIN },
      to: { path: '^lib/turn/' },
    },
    {
      name: 'bottom-imports-no-domain',
      severity: 'error',
      comment:
        'The context, config, errors, logging and db/ sit under every domain: they import none of them.',
      from: { path: BOTTOM, pathNot: '^(lib/context\\.ts|db/schema\\.ts)$' },
      to: { path: '^lib/', pathNot: BOTTOM },
    },
    {
      name: 'bottom-imports-domain-types-only',
      severity: 'error',
      comment:
        'AppContext names the types of what it holds, and the schema the types of the JSON it stores; importing a value would pull a domain under them.',
      from: { path: '^(lib/context\\.ts|db/schema\\.ts)$' },
      to: { path: '^lib/', pathNot: BOTTOM, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|\\.data|\\.tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
