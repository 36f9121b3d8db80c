"""A few threads per server process that keep their database connection, for the respondent pages.

Under ASGI Django runs every request's synchronous code on a thread of its own, so each request opens
a new database connection and closes it again (`CONN_MAX_AGE` cannot help: connections belong to a
thread). For most pages that is noise; for autosave — one small request per answer, hundreds per
second while a survey is in the field — it was the largest single cost: opening an SQLite connection
reads the whole schema (≈2.5 ms of CPU per request here), a PostgreSQL connection needs a handshake
and a server process. The async `autosave` and `respond` views therefore hand their work to these
threads, which open a connection once and keep it.

The questionnaire page (`respond`) runs on a thread of its own, and the autosaves on theirs: two small
queues instead of one thread per request. When hundreds of respondents open their links at
the same moment, the page renderings wait for their turn among themselves, and an autosave competes
with one rendering for the CPU instead of with hundreds of half-done ones (measured: with two page
threads per process both the saves and the page loads of such a burst were slower).

- only requests that came through an ASGI server use the threads; under WSGI and in Django's test
  client (whose data live in the test thread's transaction) the work runs in the request's thread;
- a connection that saw an error is checked before the next use and replaced when it is broken;
  one that was idle for a while is checked too (a server may have closed it);
- the request's language and time zone travel with the call (asgiref's context handling);
- `SURVEYS_AUTOSAVE_THREADS` (default 2) and `SURVEYS_PAGE_THREADS` (default 1) set the number of
  threads per process; 0 runs the work in the request's thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse

IDLE_CHECK_S = 30.0  # a connection idle for longer is checked before it is used again


class ConnectionKeepingThreads:
    def __init__(self, name: str, setting: str, default: int):
        self.name = name
        self.setting = setting
        self.default = default
        self._executor: ThreadPoolExecutor | None = None
        self._size = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    def _pool(self, size: int) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None or self._size != size:
                if self._executor is not None:
                    self._executor.shutdown(wait=False)
                self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=self.name)
                self._size = size
            return self._executor

    async def run(self, view: Callable[..., HttpResponse], request: HttpRequest, /, *args, **kwargs) -> HttpResponse:
        """`view(request, *args, **kwargs)` on one of the threads (ASGI), else in the request's thread."""
        size = getattr(settings, self.setting, self.default)
        if size <= 0 or not isinstance(request, ASGIRequest):
            return await sync_to_async(view)(request, *args, **kwargs)
        call = sync_to_async(self._call, thread_sensitive=False, executor=self._pool(size))
        return await call(view, (request, *args), kwargs)

    def _call(self, func, args, kwargs):
        self._check_connections()
        try:
            return func(*args, **kwargs)
        finally:
            self._local.last_used = time.monotonic()

    def _check_connections(self) -> None:
        idle = time.monotonic() - getattr(self._local, "last_used", 0.0) > IDLE_CHECK_S
        for conn in connections.all(initialized_only=True):
            if conn.connection is None:
                continue
            if conn.in_atomic_block or conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"]:
                conn.close()  # left in a transaction by a failed call: start afresh
            elif conn.errors_occurred or idle:
                if conn.is_usable():
                    conn.errors_occurred = False
                else:
                    conn.close()

    def close(self) -> None:
        """Close the threads' connections and stop the threads (tests; process shutdown)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        barrier = threading.Barrier(self._size)

        def close_mine():
            connections.close_all()
            try:
                barrier.wait(timeout=5)  # one call per thread
            except threading.BrokenBarrierError:
                pass

        for _ in range(self._size):
            executor.submit(close_mine)
        executor.shutdown(wait=True)


autosave_threads = ConnectionKeepingThreads("surveys-autosave", "SURVEYS_AUTOSAVE_THREADS", 2)
page_threads = ConnectionKeepingThreads("surveys-page", "SURVEYS_PAGE_THREADS", 1)
