"""A limit on the size of request bodies, whether they declare it or not."""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = 413


class BodySizeLimitMiddleware:
    """Answers 413 to a body over ``max_bytes``: at once if its Content-Length says so,
    else as soon as the chunks received pass the limit (nothing larger is buffered)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (
            not declared.isdigit() or int(declared) > self.max_bytes
        ):
            response = JSONResponse(
                {"detail": "request body too large"}, status_code=TOO_LARGE
            )
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI lets an HTTPException raised while reading the body
                    # through to its handler, which answers 413.
                    raise HTTPException(TOO_LARGE, "request body too large")
            return message

        await self.app(scope, limited_receive, send)
