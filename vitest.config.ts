import { defineConfig } from 'vitest/config';

// Unit and integration tests live beside the code they test (`*.test.ts`, `*.test.tsx`).
// Browser journeys live in e2e/ and run under Playwright, not here (the bench's and the soak's helpers are tested here).
export default defineConfig({
  test: {
    include: ['{engine,connectors,electron,app}/**/*.test.{ts,tsx}', 'e2e/bench/**/*.test.ts', 'e2e/soak/support/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
