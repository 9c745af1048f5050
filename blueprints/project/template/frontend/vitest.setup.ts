// Adds the DOM matchers (toBeInTheDocument, toHaveValue, ...) to vitest's expect, with types.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Testing Library unmounts between tests by itself only when vitest runs with globals.
afterEach(() => {
  cleanup();
});
