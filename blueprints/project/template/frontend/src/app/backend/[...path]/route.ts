/**
 * The browser's way to the backend: `/backend/<path>` is forwarded to `API_URL/<path>` with
 * the session's token from the httpOnly cookie, so client components call the API without
 * ever holding the token. When the backend does not answer, the browser gets a 502 whose
 * `detail` names the URL that failed, not a bare error page.
 */
import { backendUrl, networkReason } from "@/lib/api/client";
import { sessionToken } from "@/lib/auth/session";

interface Context {
  params: Promise<{ path: string[] }>;
}

async function forward(request: Request, { params }: Context): Promise<Response> {
  const { path } = await params;
  const target = `${backendUrl()}/${path.map(encodeURIComponent).join("/")}${new URL(request.url).search}`;
  const headers = new Headers({ Accept: "application/json" });
  const contentType = request.headers.get("Content-Type");
  if (contentType) {
    headers.set("Content-Type", contentType);
  }
  const token = await sessionToken();
  if (token) {
    headers.set("Authorization", `Bearer ${token}`);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let response: Response;
  try {
    response = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      cache: "no-store",
    });
  } catch (error) {
    const detail =
      `The API at ${target} is unreachable${networkReason(error)}: it is not running, or ` +
      "API_URL names the wrong address. `make dev` migrates the database and starts it.";
    return Response.json({ detail }, { status: 502 });
  }
  const answer = new Headers();
  const answerType = response.headers.get("Content-Type");
  if (answerType) {
    answer.set("Content-Type", answerType);
  }
  const body = response.status === 204 ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, headers: answer });
}

export { forward as DELETE, forward as GET, forward as PATCH, forward as POST, forward as PUT };
