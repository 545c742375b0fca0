import { defineConfig } from "vitest/config"

// Unit tests (Node): engine, rule packs and their examples, CLI, settings. End-to-end tests: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    testTimeout: 30000
  }
})
