/** Unit tests sit beside what they test; integration tests drive real servers on 127.0.0.1. */
// tsconfig's isolatedModules makes ts-jest transpile only; `npm run typecheck` does the type checking.
const tsJest = ['ts-jest', {}];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/server', '<rootDir>/miniprogram'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['js', 'ts', 'json'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['js', 'ts', 'json'],
    },
  ],
};
