"""Django's ASGI handler with request threads that are kept instead of started and joined per request.

Django runs a request's synchronous code (sync views, signal receivers, closing the response) through
asgiref's `ThreadSensitiveContext`, which by default creates a one-thread executor per request: one
thread started for the request and another one started to join it afterwards. Under the survey
benchmark a profile of a uvicorn worker showed its event loop spending about a third of its busy time
in `Thread.start` (each start waits until the new thread holds the GIL, which busy threads hold for
up to 5 ms at a time).

`PooledASGIHandler` gives each request a one-thread executor of its own from a pool (asgiref's
`ThreadSensitiveContext(executor=…)`): the same semantics (one thread per request, never two requests on
one thread at the same time), without starting threads. An executor returns to the pool only after
everything queued on it ran (a fence call), so a sync view still running after its client went away
never delays the next request. Thread-local state between requests: Django's database connections
are closed at the end of each request as before (`request_finished`, `CONN_MAX_AGE`); translations and
time zones follow the request's context, not the thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

KEEP_IDLE = 32  # idle request threads kept per process; more are shut down


class ExecutorPool:
    """One-thread executors for requests; used from the event loop's thread only."""

    def __init__(self, keep: int = KEEP_IDLE):
        self.keep = keep
        self.idle: list[ThreadPoolExecutor] = []
        self.created = 0

    def checkout(self) -> ThreadPoolExecutor:
        if self.idle:
            return self.idle.pop()
        self.created += 1
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{self.created}")

    def checkin(self, executor: ThreadPoolExecutor) -> None:
        if len(self.idle) < self.keep:
            self.idle.append(executor)
        else:
            executor.shutdown(wait=False)

    def release(self, executor: ThreadPoolExecutor) -> None:
        """Back to the pool once everything queued on it has run."""
        loop = asyncio.get_running_loop()

        def back(_fence) -> None:
            try:
                loop.call_soon_threadsafe(self.checkin, executor)
            except RuntimeError:  # the event loop is gone (server shutting down)
                executor.shutdown(wait=False)

        executor.submit(_nothing).add_done_callback(back)


def _nothing() -> None:
    return None


class PooledASGIHandler(ASGIHandler):
    def __init__(self):
        super().__init__()
        self.pool = ExecutorPool()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self.pool.checkout()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.pool.release(executor)


def get_asgi_application() -> PooledASGIHandler:
    """As `django.core.asgi.get_asgi_application`, with the pooled handler."""
    import django

    django.setup(set_prefix=False)
    return PooledASGIHandler()
