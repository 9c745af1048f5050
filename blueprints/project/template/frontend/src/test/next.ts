/**
 * What Next.js provides at request time, for tests that run outside a request: the
 * cookies of `next/headers` and the router of `next/navigation` (vitest.setup.ts installs
 * them; each test starts with no cookie and a fresh router).
 */
import { vi } from "vitest";

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  maxAge?: number;
  path?: string;
  sameSite?: "lax" | "strict" | "none";
  secure?: boolean;
}

/** The request's cookies, and the ones a handler set or deleted. */
export const cookieJar = {
  cookies: new Map<string, Cookie>(),
  get(name: string): Cookie | undefined {
    return this.cookies.get(name);
  },
  has(name: string): boolean {
    return this.cookies.has(name);
  },
  set(name: string, value: string, options: Omit<Cookie, "name" | "value"> = {}): void {
    this.cookies.set(name, { name, value, ...options });
  },
  delete(name: string): void {
    this.cookies.delete(name);
  },
  clear(): void {
    this.cookies.clear();
  },
};

export const router = {
  push: vi.fn(),
  replace: vi.fn(),
  refresh: vi.fn(),
  back: vi.fn(),
  forward: vi.fn(),
  prefetch: vi.fn(),
};

export function resetNext(): void {
  cookieJar.clear();
  for (const method of Object.values(router)) {
    method.mockReset();
  }
}
