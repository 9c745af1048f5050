/**
 * The session on the server: the access token lives in an httpOnly cookie that the
 * `/auth/session` route handler sets at login; server components and route handlers read
 * it here. Browser JavaScript never sees it.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { ApiError, type ServerSession } from "@/lib/api/client";

export const SESSION_COOKIE = "session";

/** The access token of the current request, if the user is logged in. */
export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

export async function serverSession(): Promise<ServerSession> {
  return { token: await sessionToken() };
}

/**
 * Run API calls for a server component with the session; a 401 (no session, or an expired
 * token) sends the user to the login page, and back to `from` after it.
 */
export async function withSession<T>(
  from: string,
  call: (session: ServerSession) => Promise<T>,
): Promise<T> {
  const session = await serverSession();
  try {
    return await call(session);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      redirect(`/login?next=${encodeURIComponent(from)}`);
    }
    throw error;
  }
}
