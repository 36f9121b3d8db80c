"""The report of an import: problems by row and column, and what each row would do or did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from panreflex.accounts.models import Organisation, Visibility

from ..models import Practice


@dataclass
class RowError:
    row: int  # 1 = header row (CSV/XLSX); for JSON the entry number
    column: str  # the header as written in the file ("" for the whole row or file)
    message: str


@dataclass
class RowPlan:
    row: int
    title: str = ""
    organisation: Organisation | None = None
    action: str = "create"  # create | skip
    status: str = Practice.Status.DRAFT
    visibility: str = Visibility.PRIVATE
    external_key: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    m2m: dict[str, list] = field(default_factory=dict)
    sources: list[dict] = field(default_factory=list)
    new_cities: list[tuple[str, str]] = field(default_factory=list)
    place_labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    practice_id: int | None = None
    failed: bool = False
    detail_url: str = ""

    @property
    def status_label(self) -> str:
        return str(Practice.Status(self.status).label)

    @property
    def visibility_label(self) -> str:
        return str(Visibility(self.visibility).label).split(" (")[0]


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == "create"]

    @property
    def skipped(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == "skip"]

    @property
    def created_ids(self) -> list[int]:
        return [r.practice_id for r in self.to_create if r.practice_id] if self.stored else []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=str(message)))
