import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Dates are shown in the user's time zone: the tests run in one that is not UTC, so that
// sending and showing a datetime with its offset is checked for real.
process.env.TZ = "Europe/Paris";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./vitest.setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // One jsdom per worker rather than one per test file, which was four fifths of the
    // run: vitest.setup.ts resets what a test may leave behind (the DOM, MSW's handlers,
    // the Next.js mocks) after every test, and no test depends on the order of files.
    isolate: false,
  },
});
