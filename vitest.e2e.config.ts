import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium against browser mode; one file at a time
// keeps two cores from thrashing.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
