// Layers of src/, lowest first. A module may import its own folder and any lower layer, never a higher one;
// another folder only through its index.ts (the folder's public API). `npm test` runs this check
// (`npm run lint:deps`); a new violation fails it.
const LAYERS = [
  ['text'],
  ['domain'],
  ['config', 'log', 'infra', 'db', 'net'],
  ['ocr'],
  ['ingest'],
  ['search'],
  ['answer', 'voice', 'corpus', 'gaps'],
  ['attendance'],
  ['chat'],
  ['channels'],
  ['server'],
  ['state'],
  ['main', 'cli'],
];

const unit = (name) => `^src/${name}(\\.ts$|/)`;
const layerRules = LAYERS.slice(0, -1).map((names, i) => ({
  name: `layer-${names.join('-')}`,
  comment: `${names.join(', ')} must not import a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(', ')})`,
  severity: 'error',
  from: { path: names.map(unit) },
  to: {
    path: LAYERS.slice(i + 1)
      .flat()
      .map(unit),
  },
}));
// Names of one layer import each other only along these edges (the logger reads its level from the config type;
// infra's PostgreSQL rate limits use db's pool).
const SAME_LAYER_ALLOWED = new Set(['log>config', 'infra>log', 'infra>config', 'infra>db']);
const sameLayer = LAYERS.filter((names) => names.length > 1).flatMap((names) =>
  names.map((name) => ({
    name: `same-layer-${name}`,
    comment: `${name} must not import ${names.filter((n) => n !== name).join(', ')}: they sit side by side`,
    severity: 'error',
    from: { path: unit(name) },
    to: { path: names.filter((n) => n !== name && !SAME_LAYER_ALLOWED.has(`${name}>${n}`)).map(unit) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not depend on each other in a cycle.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    ...sameLayer.filter((r) => r.to.path.length > 0),
    {
      name: 'public-api-only',
      comment: 'Another folder is imported through its index.ts, its public API.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'public-api-only-root',
      comment: 'main.ts, cli.ts, config.ts and log.ts import folders through their index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-own-index',
      comment: 'A folder does not import its own index.ts (that makes a cycle through the public API).',
      severity: 'error',
      from: { path: '^src/([^/]+)/(?!index\\.ts$)' },
      to: { path: '^src/$1/index\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
