"""How the platform's tools start Debian's Chromium headless: the browser tests (e2e/) and the map
benchmark (bench/vulnerability.py) share these, so a benchmark needs none of the test extras."""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
