"""SQLite with a prompt write lock between the server's processes and threads.

SQLite admits one writer at a time. A connection that finds the database locked sleeps and tries
again, in steps of 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and 100 ms, without any order among those
waiting. Under many small writes at once (a survey in the field: hundreds of autosaves per second from
two server processes) an unlucky writer sleeps through several steps while the lock is free most of
that time, which set the tail of the save latency.

This backend takes an exclusive `flock` on a file next to the database before `BEGIN IMMEDIATE` and
releases it at commit or rollback. A writer that finds it taken checks again after 0.1 ms, then in
steps growing to 1 ms, so it gets the lock within a millisecond of its release; after the connection's
busy timeout (5 s) it gives up with SQLite's own "database is locked". Writes outside a transaction
(autocommit) keep SQLite's own waiting. In-memory databases (the tests) have no file and no lock.
"""

from __future__ import annotations

import fcntl
import os
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

MAX_WAIT_S = 5.0
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.0001, 0.001


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db() or getattr(self, "transaction_mode", None) not in ("IMMEDIATE", "EXCLUSIVE"):
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._lock_held:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline, pause = time.monotonic() + MAX_WAIT_S, FIRST_PAUSE_S
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_S)
        self._lock_held = True

    def _release_write_lock(self) -> None:
        if self._lock_held:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
