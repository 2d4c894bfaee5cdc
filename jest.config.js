/**
 * unit: beside the sources; integration: real servers on 127.0.0.1; static: compilers over the
 * Mini Program sources; page: the real page rendered by miniprogram-simulate in jsdom; e2e: the
 * unmodified miniprogram-automator client driving the page through the headless host.
 */
// tsconfig's isolatedModules makes ts-jest transpile only; `npm run typecheck` does the type checking.
const transform = { '^.+\\.ts$': ['ts-jest', {}] };
// ali-oss ships .ts sources beside its .js: resolve .js first (our sources have no .js twins).
const moduleFileExtensions = ['js', 'ts', 'json'];

const project = (displayName, roots, testEnvironment = 'node') => ({
  displayName,
  testEnvironment,
  roots: roots.map((r) => `<rootDir>/${r}`),
  testMatch: ['**/*.test.ts'],
  transform,
  moduleFileExtensions,
  // The Mini Program imports the contract's values as a package (built into miniprogram_npm for a phone).
  moduleNameMapper: { '^@family-album/contract$': '<rootDir>/typings/index.ts' },
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('unit', ['oss-signer', 'localcloud', 'server', 'miniprogram', 'tools']),
    project('static', ['test/static']),
    project('integration', ['test/integration']),
    project('page', ['test/page'], 'jsdom'),
    project('e2e', ['test/e2e']),
  ],
};
