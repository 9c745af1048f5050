import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import { backend, proxied, server } from "@/test/msw";

import { ApiError, ApiUnreachableError, apiFetch } from "./client";

describe("apiFetch", () => {
  it("on the server, calls the backend with the session's bearer token", async () => {
    let seen: Request | undefined;
    server.use(
      http.post(backend("/api/things"), async ({ request }) => {
        seen = request.clone();
        return HttpResponse.json({ id: 1 }, { status: 201 });
      }),
    );

    const data = await apiFetch("/api/things", {
      method: "POST",
      body: { name: "A" },
      session: { token: "t0ken" },
    });

    expect(data).toEqual({ id: 1 });
    expect(seen?.headers.get("Authorization")).toBe("Bearer t0ken");
    expect(seen?.headers.get("Content-Type")).toBe("application/json");
    expect(seen?.headers.has("X-Tenant-ID")).toBe(false);
    expect(await seen?.json()).toEqual({ name: "A" });
  });

  it("in the browser, goes through the /backend route handler without any token", async () => {
    let seen: Request | undefined;
    server.use(
      http.get(proxied("/api/things"), ({ request }) => {
        seen = request;
        return new HttpResponse(null, { status: 204 });
      }),
    );

    await expect(apiFetch("/api/things", { query: { limit: 5, offset: undefined } })).resolves.toBe(
      undefined,
    );
    expect(new URL(seen!.url).search).toBe("?limit=5");
    expect(seen?.headers.has("Authorization")).toBe(false);
  });

  it("turns a 404 into an ApiError with FastAPI's detail", async () => {
    server.use(
      http.get(proxied("/api/things/3"), () =>
        HttpResponse.json({ detail: "Thing 3 not found" }, { status: 404 }),
      ),
    );

    const error = await apiFetch("/api/things/3").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, detail: "Thing 3 not found" });
    expect((error as ApiError).message).toBe("Thing 3 not found");
  });

  it("keeps a 422 detail list and maps it to fields", async () => {
    server.use(
      http.post(proxied("/api/things"), () =>
        HttpResponse.json(
          { detail: [{ loc: ["body", "name"], msg: "Field required", type: "missing" }] },
          { status: 422 },
        ),
      ),
    );

    const error = (await apiFetch("/api/things", { method: "POST", body: {} }).catch(
      (caught: unknown) => caught,
    )) as ApiError;

    expect(error.status).toBe(422);
    expect(error.issues).toHaveLength(1);
    expect(error.fieldErrors()).toEqual({ name: "Field required" });
  });

  it("says which URL got no answer instead of the browser's bare 'Failed to fetch'", async () => {
    server.use(http.get(proxied("/api/things"), () => HttpResponse.error()));

    const error = await apiFetch("/api/things").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as ApiUnreachableError).url).toBe(proxied("/api/things"));
    expect((error as Error).message).toBe(
      `Could not reach ${proxied("/api/things")} (Failed to fetch): ` +
        "the web server is not running or not reachable.",
    );
  });

  it("names the API and CORS when a call to another origin gets no answer", async () => {
    server.use(http.get(backend("/api/things"), () => HttpResponse.error()));

    const error = await apiFetch("/api/things", { session: { token: "t0ken" } }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ApiUnreachableError);
    const message = (error as Error).message;
    expect(message).toContain(`Could not reach the API at ${backend("/api/things")}`);
    expect(message).toContain("it is not running or not reachable");
    expect(message).toContain(`CORS: add ${window.location.origin} to the API's CORS_ORIGINS`);
  });

  it("lets a request its caller cancelled fail as an abort", async () => {
    const controller = new AbortController();
    controller.abort();

    const error = await apiFetch("/api/things", { signal: controller.signal }).catch(
      (caught: unknown) => caught,
    );

    expect(error).not.toBeInstanceOf(ApiUnreachableError);
    expect((error as Error).name).toBe("AbortError");
  });
});
