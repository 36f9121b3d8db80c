"""The database thread of the live rooms.

All database work of the rooms runs in ONE worker thread per process that keeps its database
connection between intents. `database_sync_to_async` would open and close a connection for every
write; with SQLite that means re-reading the schema and checkpointing the WAL each time, which costs
more than the write itself (measured: ~90 ms per card instead of ~10 ms). One thread also serialises
the writes of a process (SQLite has a single writer anyway; the services lock the room's row for
PostgreSQL). The thread's connection is closed when the process's last room connection closes.
What would let us delete this: Django's async ORM with persistent connections (Django 5.2's
`CONN_MAX_AGE` has no effect under `database_sync_to_async`, which closes connections per call).
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

from . import events

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="realtime-db")
_open = 0


def _guarded(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    finally:
        for conn in connections.all(initialized_only=True):
            if conn.errors_occurred and not conn.is_usable():
                conn.close()


async def run_db(func, *args, **kwargs):
    loop = asyncio.get_running_loop()
    events.set_main_loop(loop)
    return await loop.run_in_executor(_executor, functools.partial(_guarded, func, *args, **kwargs))


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()


async def opened() -> None:
    global _open
    _open += 1


async def closed() -> None:
    global _open
    _open -= 1
    if _open == 0:
        await run_db(_close_connections)
