import { afterEach, describe, expect, it, vi } from "vitest";

import { API_URL, ApiError, apiFetch, getTenantId, setTenantId } from "./client";

function respond(status: number, body?: unknown) {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    }),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

describe("apiFetch", () => {
  const tenant = getTenantId();

  afterEach(() => {
    vi.unstubAllGlobals();
    setTenantId(tenant);
  });

  it("sends JSON with the tenant header and returns the JSON body", async () => {
    const fetchMock = respond(201, { id: 1 });
    setTenantId("acme");

    const data = await apiFetch("/api/things", { method: "POST", body: { name: "A" } });

    expect(data).toEqual({ id: 1 });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(`${API_URL}/api/things`);
    expect(init?.method).toBe("POST");
    expect(init?.body).toBe(JSON.stringify({ name: "A" }));
    expect(init?.headers).toMatchObject({
      "X-Tenant-ID": "acme",
      "Content-Type": "application/json",
    });
  });

  it("adds the query string and returns undefined for an empty body", async () => {
    const fetchMock = respond(204);

    await expect(apiFetch("/api/things", { query: { limit: 5, offset: undefined } })).resolves.toBe(
      undefined,
    );
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${API_URL}/api/things?limit=5`);
  });

  it("turns a 404 into an ApiError with FastAPI's detail", async () => {
    respond(404, { detail: "Thing 3 not found" });

    const error = await apiFetch("/api/things/3").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, detail: "Thing 3 not found" });
    expect((error as ApiError).message).toBe("Thing 3 not found");
  });

  it("keeps a 422 detail list and maps it to fields", async () => {
    respond(422, {
      detail: [{ loc: ["body", "name"], msg: "Field required", type: "missing" }],
    });

    const error = (await apiFetch("/api/things", { method: "POST", body: {} }).catch(
      (caught: unknown) => caught,
    )) as ApiError;

    expect(error.status).toBe(422);
    expect(error.issues).toHaveLength(1);
    expect(error.fieldErrors()).toEqual({ name: "Field required" });
  });
});
