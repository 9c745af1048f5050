/** Who is logged in: `GET {prefix}/auth/me`. */
import { z } from "zod";

import { API_PREFIX, ApiError, apiRequest, type ServerSession } from "@/lib/api/client";

export const meSchema = z.object({
  id: z.union([z.string(), z.number()]),
  email: z.string(),
  tenant: z.object({ id: z.union([z.string(), z.number()]), name: z.string() }),
  role: z.string(),
  tenants: z.array(
    z.object({ id: z.union([z.string(), z.number()]), name: z.string(), role: z.string() }),
  ),
});
export type Me = z.infer<typeof meSchema>;

/** The logged-in user, or null without a valid session. */
export async function fetchMe(session: ServerSession): Promise<Me | null> {
  if (!session.token) {
    return null;
  }
  try {
    return await apiRequest(meSchema, `${API_PREFIX}/auth/me`, { session });
  } catch (error) {
    // 401: expired token; 404: a backend without authentication yet
    if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
      return null;
    }
    throw error;
  }
}
