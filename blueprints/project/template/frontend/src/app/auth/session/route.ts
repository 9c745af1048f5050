/**
 * Log in and out. POST takes `{ email, password, tenant? }`, asks the backend for a token
 * (OAuth2 password flow, `{prefix}/auth/token`) and keeps it in an httpOnly cookie; DELETE
 * forgets it. The token is never sent to the browser's JavaScript.
 */
import { cookies } from "next/headers";
import { z } from "zod";

import { API_PREFIX, backendUrl, parseDetail } from "@/lib/api/client";
import { SESSION_COOKIE } from "@/lib/auth/session";

const credentialsSchema = z.object({
  email: z.string().min(1),
  password: z.string().min(1),
  tenant: z.string().optional(),
});

const tokenSchema = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
});

export async function POST(request: Request): Promise<Response> {
  const credentials = credentialsSchema.safeParse(await request.json().catch(() => null));
  if (!credentials.success) {
    return Response.json({ detail: "Email and password are required." }, { status: 422 });
  }
  const { email, password, tenant } = credentials.data;
  const form = new URLSearchParams({ username: email, password });
  if (tenant) {
    form.set("tenant", tenant);
  }
  const response = await fetch(`${backendUrl()}${API_PREFIX}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: form,
    cache: "no-store",
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail =
      response.status === 401 ? "Wrong email or password." : (parseDetail(body) ?? "Login failed.");
    return Response.json({ detail }, { status: response.status });
  }
  const token = tokenSchema.parse(body);
  (await cookies()).set(SESSION_COOKIE, token.access_token, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production",
    path: "/",
    maxAge: token.expires_in,
  });
  return new Response(null, { status: 204 });
}

export async function DELETE(): Promise<Response> {
  (await cookies()).delete(SESSION_COOKIE);
  return new Response(null, { status: 204 });
}
