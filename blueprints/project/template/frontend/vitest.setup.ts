// Adds the DOM matchers (toBeInTheDocument, toHaveValue, ...) to vitest's expect, with types.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, vi } from "vitest";

import { server } from "@/test/msw";
import { cookieJar, resetNext, router } from "@/test/next";

// Request-time APIs of Next.js, outside a request: an in-memory cookie jar and router.
vi.mock("next/headers", () => ({ cookies: async () => cookieJar }));
vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  useRouter: () => router,
  usePathname: () => "/",
}));

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
});

afterEach(() => {
  // Testing Library unmounts between tests by itself only when vitest runs with globals.
  cleanup();
  server.resetHandlers();
  resetNext();
});

afterAll(() => {
  server.close();
});
