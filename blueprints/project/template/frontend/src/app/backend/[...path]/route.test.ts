import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import { SESSION_COOKIE } from "@/lib/auth/session";
import { backend, server } from "@/test/msw";
import { cookieJar } from "@/test/next";

import { GET, POST } from "./route";

function context(...path: string[]) {
  return { params: Promise.resolve({ path }) };
}

describe("the /backend route handler", () => {
  it("forwards a read with the session's token and the query string", async () => {
    cookieJar.set(SESSION_COOKIE, "t0ken");
    server.use(
      http.get(backend("/api/things"), ({ request }) =>
        HttpResponse.json({
          auth: request.headers.get("Authorization"),
          search: new URL(request.url).search,
        }),
      ),
    );

    const response = await GET(
      new Request("http://localhost:3000/backend/api/things?limit=20"),
      context("api", "things"),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth: "Bearer t0ken", search: "?limit=20" });
  });

  it("forwards a write's body and the backend's error status", async () => {
    server.use(
      http.post(backend("/api/things"), async ({ request }) =>
        HttpResponse.json(
          { detail: "no", body: await request.json(), auth: request.headers.get("Authorization") },
          { status: 401 },
        ),
      ),
    );

    const response = await POST(
      new Request("http://localhost:3000/backend/api/things", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "A" }),
      }),
      context("api", "things"),
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "no", body: { name: "A" }, auth: null });
  });

  it("answers 502 naming the backend's URL when the backend does not answer", async () => {
    server.use(http.get(backend("/api/things"), () => HttpResponse.error()));

    const response = await GET(
      new Request("http://localhost:3000/backend/api/things"),
      context("api", "things"),
    );

    expect(response.status).toBe(502);
    const { detail } = (await response.json()) as { detail: string };
    expect(detail).toContain(`The API at ${backend("/api/things")} is unreachable`);
    expect(detail).toContain("`make dev`");
  });
});
