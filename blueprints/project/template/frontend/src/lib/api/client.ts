/**
 * A small typed wrapper around `fetch` for the backend API.
 *
 * Every request goes to `NEXT_PUBLIC_API_URL`, names its tenant in the `X-Tenant-ID` header,
 * sends and receives JSON, and turns a non-2xx response into an `ApiError`.
 */
import type { z } from "zod";

export const API_URL = (process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:8000").replace(
  /\/+$/,
  "",
);

export const DEFAULT_TENANT_ID = process.env.NEXT_PUBLIC_TENANT_ID ?? "demo";

let currentTenantId = DEFAULT_TENANT_ID;

/** Make every later request act for `tenantId` (e.g. after the user picks an organisation). */
export function setTenantId(tenantId: string): void {
  currentTenantId = tenantId;
}

export function getTenantId(): string {
  return currentTenantId;
}

/** One entry of FastAPI's 422 `detail` list. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export type ApiErrorDetail = string | ValidationIssue[] | null;

/** A response with a non-2xx status, with FastAPI's `detail` when the body had one. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: ApiErrorDetail;

  constructor(status: number, detail: ApiErrorDetail, statusText = "") {
    super(describe(status, detail, statusText));
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }

  /** The validation issues of a 422 response (empty for any other error). */
  get issues(): ValidationIssue[] {
    return Array.isArray(this.detail) ? this.detail : [];
  }

  /** Messages per request-body field, e.g. `{ name: "Field required" }`. */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const issue of this.issues) {
      const [where, field] = issue.loc;
      if (where === "body" && typeof field === "string" && !(field in errors)) {
        errors[field] = issue.msg;
      }
    }
    return errors;
  }
}

function describe(status: number, detail: ApiErrorDetail, statusText: string): string {
  if (typeof detail === "string" && detail) {
    return detail;
  }
  if (Array.isArray(detail) && detail.length > 0) {
    return detail.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; ");
  }
  return `Request failed with status ${status}${statusText ? ` ${statusText}` : ""}`;
}

function isValidationIssue(value: unknown): value is ValidationIssue {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const issue = value as Record<string, unknown>;
  return Array.isArray(issue.loc) && typeof issue.msg === "string";
}

function parseDetail(body: unknown): ApiErrorDetail {
  if (typeof body !== "object" || body === null || !("detail" in body)) {
    return null;
  }
  const { detail } = body as { detail: unknown };
  if (typeof detail === "string") {
    return detail;
  }
  if (Array.isArray(detail) && detail.every(isValidationIssue)) {
    return detail.map(({ loc, msg, type }) => ({ loc, msg, type: String(type ?? "") }));
  }
  return null;
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the current tenant for this request only. */
  tenantId?: string;
}

/** The full URL of an API path such as `/api/campaigns`, with its query string. */
export function apiUrl(path: string, query: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) {
      search.set(key, String(value));
    }
  }
  const queryString = search.toString();
  return `${API_URL}${path}${queryString ? `?${queryString}` : ""}`;
}

/** Send a request and return its JSON body (`undefined` for an empty body such as a 204). */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<unknown> {
  const { method = "GET", query, body, signal, tenantId = currentTenantId } = options;
  const headers: Record<string, string> = { Accept: "application/json", "X-Tenant-ID": tenantId };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(apiUrl(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, parseDetail(data), response.statusText);
  }
  return data;
}

/** Send a request and check its JSON body against `schema`; a mismatch throws a ZodError. */
export async function apiRequest<Schema extends z.ZodType>(
  schema: Schema,
  path: string,
  options: RequestOptions = {},
): Promise<z.output<Schema>> {
  return schema.parse(await apiFetch(path, options));
}

/** A message to show a user for anything a request can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return "Something went wrong.";
}
