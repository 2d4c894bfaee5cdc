/**
 * The houses of the repository and the arrows allowed between them (docs/architecture.md draws
 * them). `npm run lint:imports` checks every import of the tree against these rules; `npm test`
 * runs it, and test/static/importRules.test.ts proves each rule catches what it names.
 */
const TEST_FILE = '\\.test\\.ts$';
const PRODUCT = '^(server|localcloud|oss-signer|typings|miniprogram)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one: split out what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-test',
      comment: 'test/ holds suites; what they share lives in testkit/.',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'product-never-imports-testkit',
      comment: 'Test infrastructure is for tests: product code never loads it.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: TEST_FILE },
      to: { path: '^testkit/' },
    },
    {
      name: 'typings-stand-alone',
      comment: 'The contract depends on nothing but itself: both sides import it.',
      severity: 'error',
      from: { path: '^typings/' },
      to: { pathNot: '^typings/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'signer-is-pure',
      comment: 'The V4 signer is shared by the API and the local cloud; it imports only itself and Node built-ins.',
      severity: 'error',
      from: { path: '^oss-signer/', pathNot: TEST_FILE },
      to: { pathNot: '^oss-signer/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'localcloud-imports-only-the-signer',
      comment: 'The local cloud is its own product: it shares only the V4 signer with the API.',
      severity: 'error',
      from: { path: '^localcloud/', pathNot: TEST_FILE },
      to: { path: '^(server|miniprogram|typings|testkit|tools|bench)/' },
    },
    {
      name: 'server-reaches-localcloud-only-at-its-entry',
      comment: 'Only main.ts (and the settings it hands over) start the local cloud; the API talks to it over HTTP.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/src/(main|localCloudSettings)\\.ts$' },
      to: { path: '^localcloud/' },
    },
    {
      name: 'http-is-only-the-edge',
      comment: 'server/src/http/ is the HTTP edge: it answers errors by ApiError, never by importing an adapter (OSS client, STS, WeChat, store) or a route.',
      severity: 'error',
      from: { path: '^server/src/http/', pathNot: TEST_FILE },
      to: { path: '^server/src/(ossClient|sts|wechat|store|upload|objects|routes)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-never-import-the-edge',
      comment: 'Upstream adapters throw typed errors (ApiError subclasses); they know nothing of Express, middleware or routes.',
      severity: 'error',
      from: { path: '^server/src/(ossClient|sts|wechat|store|upload|objects|rateLimits)/', pathNot: TEST_FILE },
      to: { path: '^server/src/(http|routes)/' },
    },
    {
      name: 'server-never-imports-miniprogram',
      comment: 'What both sides need is the contract in typings/.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^miniprogram/' },
    },
    {
      name: 'miniprogram-imports-only-itself-and-the-contract',
      comment: 'WeChat packages only miniprogram/ (and its miniprogram_npm): other folders do not exist on a phone.',
      severity: 'error',
      from: { path: '^miniprogram/', pathNot: TEST_FILE },
      to: { pathNot: '^(miniprogram|typings)/|^node_modules/(spark-md5|miniprogram-api-typings)/', dependencyTypesNot: ['type-only', 'core'] },
    },
    {
      name: 'miniprogram-value-imports-of-the-contract-go-through-its-package',
      comment:
        'A relative value import of typings/ leaves the package WeChat builds; values come through the contract package (built into miniprogram_npm), types may be imported directly.',
      severity: 'error',
      from: { path: '^miniprogram/', pathNot: TEST_FILE },
      to: { path: '^typings/', dependencyTypesNot: ['type-only', 'aliased-tsconfig-paths'] },
    },
    {
      name: 'miniprogram-no-node-builtins',
      comment: 'No Node API exists in a Mini Program, not even for types.',
      severity: 'error',
      from: { path: '^miniprogram/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'An import that resolves to nothing fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|miniprogram_npm|fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    moduleSystems: ['cjs', 'es6'],
  },
};
