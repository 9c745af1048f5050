import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import { API_PREFIX } from "@/lib/api/client";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { backend, server } from "@/test/msw";
import { cookieJar } from "@/test/next";

import { DELETE, POST } from "./route";

function login(body: unknown): Request {
  return new Request("http://localhost:3000/auth/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("the /auth/session route handler", () => {
  it("trades the credentials for a token kept in an httpOnly cookie", async () => {
    let form: URLSearchParams | undefined;
    server.use(
      http.post(backend(`${API_PREFIX}/auth/token`), async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({ access_token: "jwt", token_type: "bearer", expires_in: 3600 });
      }),
    );

    // pragma: allowlist nextline secret (a test password)
    const response = await POST(login({ email: "ada@example.com", password: "s3cret" }));

    expect(response.status).toBe(204);
    expect(form?.get("username")).toBe("ada@example.com");
    expect(form?.get("password")).toBe("s3cret");
    expect(form?.has("tenant")).toBe(false);
    expect(cookieJar.get(SESSION_COOKIE)).toMatchObject({
      value: "jwt",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 3600,
    });
  });

  it("says the credentials are wrong on a 401 and sets no cookie", async () => {
    server.use(
      http.post(backend(`${API_PREFIX}/auth/token`), () =>
        HttpResponse.json({ detail: "Incorrect email or password" }, { status: 401 }),
      ),
    );

    // pragma: allowlist nextline secret (a test password)
    const response = await POST(login({ email: "ada@example.com", password: "nope" }));

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "Wrong email or password." });
    expect(cookieJar.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a request without credentials before calling the backend", async () => {
    const response = await POST(login({ email: "" }));

    expect(response.status).toBe(422);
  });

  it("forgets the session on logout", async () => {
    cookieJar.set(SESSION_COOKIE, "jwt");

    const response = await DELETE();

    expect(response.status).toBe(204);
    expect(cookieJar.has(SESSION_COOKIE)).toBe(false);
  });
});
