"""Default content: the 36 documented municipal COVID-19 practices (shared/data/practices/facts.md),
written freshly in German (with English title and summary) by the project team, with their sources
and uncertainty notes. They ship as `data/practices.json` in the export format and are loaded by the
importer itself; idempotent through the external key ("facts-01" … "facts-36"): a second run skips
what is there and keeps what users changed.

Register in `PracticesConfig.ready()`: `register_demo_loader("practices", load_demo_practices, order=20)`.
"""

from __future__ import annotations

from pathlib import Path

from .transfer.importer import practices_import

DATA_FILE = Path(__file__).resolve().parent / "data" / "practices.json"


def load_demo_practices(*, stdout=None) -> None:
    report = practices_import(data=DATA_FILE.read_bytes(), filename=DATA_FILE.name, actor=None)
    if not report.ok:
        problems = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:10])
        raise RuntimeError(f"The default practice examples could not be loaded: {problems}")
    if stdout is not None:
        stdout.write(
            f"Practice examples: {len(report.created_ids)} created, {len(report.skipped)} already present."
        )
