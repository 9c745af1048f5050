/**
 * The network of the tests: MSW answers every request at the fetch level, the way the
 * backend would; a request no handler expects fails the test.
 *
 *   server.use(http.get(backend("/api/campaigns"), () => HttpResponse.json(page)));
 */
import { setupServer } from "msw/node";

import { PROXY_PATH, backendUrl } from "@/lib/api/client";

export const server = setupServer();

/** A backend URL as the server calls it (`API_URL`). */
export function backend(path: string): string {
  return `${backendUrl()}${path}`;
}

/** A backend URL as the browser calls it (through the `/backend` route handler). */
export function proxied(path: string): string {
  return `${window.location.origin}${PROXY_PATH}${path}`;
}
