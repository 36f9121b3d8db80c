"""A throwaway database for a benchmark: a temp SQLite folder, or `<name>_bench` on the PostgreSQL
server of DATABASE_URL (created fresh, dropped by the returned cleanup). Never the demo database."""

import os
import tempfile
from urllib.parse import urlparse, urlunparse


def setup_database() -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parsed = urlparse(url)
        name = (parsed.path.lstrip("/") or "panreflex") + "_bench"
        admin = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))

        def cleanup():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return "postgresql", cleanup
    tmp = tempfile.mkdtemp(prefix="panreflex-bench-")
    os.environ["PANREFLEX_DATA_DIR"] = tmp

    def cleanup():
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)

    return "sqlite", cleanup
