"""Importing practice examples from CSV, XLSX or JSON: all or nothing, with a row-by-row report.

`practices_import(...)` reads the file, checks the headers, parses and validates every row (reporting
row and column of each problem), then writes every row through `practices.services.practice_create`
in ONE transaction. If any row fails – or in a dry run – the transaction is rolled back, so nothing is
stored half-done. International cities that are not in the platform yet are created through the
places service inside the same transaction (and rolled back with it).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from panreflex.accounts.models import Organisation
from panreflex.places.models import Place

from . import columns as cols
from .reading import FileError, read_records
from .report import ImportReport, RowError, RowPlan
from .rows import RowParser, parse_date, parse_month

__all__ = ["ImportReport", "RowError", "RowPlan", "check_size", "parse_date", "parse_month", "practices_import"]


def import_limit() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def check_size(size: int) -> str | None:
    """The message for a file that is too large (checked before it is read), else None."""
    limit = import_limit()
    if size > limit:
        return _("The file is %(size)s; at most %(limit)s can be imported.") % {
            "size": filesizeformat(size), "limit": filesizeformat(limit)}
    if size == 0:
        return _("The file is empty.")
    return None


def practices_import(
    *,
    data: bytes,
    filename: str,
    actor,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    is_demo: bool = False,
) -> ImportReport:
    """Validate and (unless `dry_run`) store the practice examples of a file, all or nothing.

    `actor` is the user importing (access rules apply) or None for the command line without
    `--as-user` (acts as the system: every organisation, status as given). `organisation` owns the rows
    whose `organisation` column is empty.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    too_big = check_size(len(data))
    if too_big:
        report.error(0, "", too_big)
        return report
    try:
        records = read_records(data, filename)
    except FileError as exc:
        report.error(0, "", str(exc))
        return report
    report.format, report.encoding, report.delimiter = records.format, records.encoding, records.delimiter
    header_map = _check_headers(records, report)
    if not report.ok:
        return report
    if not records.rows:
        report.error(0, "", _("The file holds no practice examples (only a header row)."))
        return report
    parser = RowParser(actor=actor, organisation=organisation, header_map=header_map, report=report,
                        tabular_format=records.format != "json")
    for number, values in records.rows:
        report.rows.append(parser.parse(number, values))
    _write(report, actor=actor, header_map=header_map, is_demo=is_demo)
    order = {header: index for index, header in enumerate(records.headers)}
    report.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return report


def _check_headers(records, report: ImportReport) -> dict[str, str]:
    """{column key: header as written}; reports unknown, repeated and missing required columns."""
    header_map: dict[str, str] = {}
    for header in records.headers:
        row = records.header_rows.get(header, 1)
        if not (header or "").strip():
            if any((values.get(header) or "") for _n, values in records.rows):
                report.error(row, "", _("A column without a header holds values."))
            continue
        column = cols.column_for_header(header)
        if column is None:
            report.error(row, header, _("Unknown column “%(header)s”.") % {"header": header})
            continue
        if column.key in header_map:
            report.error(row, header, _("The column “%(header)s” appears twice (also as “%(other)s”).")
                         % {"header": header, "other": header_map[column.key]})
            continue
        header_map[column.key] = header
    for column in cols.REQUIRED:
        if column.key not in header_map:
            report.error(1, column.key, _("The required column “%(en)s” (German: “%(de)s”) is missing.")
                         % {"en": column.key, "de": column.de})
    return header_map


# --- writing --------------------------------------------------------------------------------------
def _write(report: ImportReport, *, actor, header_map: dict[str, str], is_demo: bool) -> None:
    """Write every valid row in one transaction; roll all back on any error or in a dry run."""
    from ..services import practice_create

    field_to_column = {c.field: c.key for c in cols.COLUMNS if c.field}
    field_to_column["actors_text"] = "actors"
    with transaction.atomic():
        for plan in report.rows:
            if plan.failed or plan.action != "create":
                continue
            savepoint = transaction.savepoint()
            try:
                places = list(plan.m2m.get("places", []))
                for name, country in plan.new_cities:
                    places.append(_city(actor=actor, name=name, country=country))
                practice = practice_create(
                    organisation=plan.organisation,
                    author=actor,
                    data={**plan.data, "visibility": plan.visibility},
                    m2m={**plan.m2m, "places": places},
                    sources=plan.sources,
                    status=plan.status,
                    visibility=plan.visibility,
                    external_key=plan.external_key,
                    is_demo=is_demo,
                )
            except ValidationError as exc:
                transaction.savepoint_rollback(savepoint)
                plan.failed = True
                details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                for name, messages in details.items():
                    key = field_to_column.get(name, name if name in cols.BY_KEY else "")
                    column = header_map.get(key, key) if key else ""
                    for message in messages:
                        report.error(plan.row, column, message)
            else:
                transaction.savepoint_commit(savepoint)
                plan.practice_id = practice.pk
        if report.errors or report.dry_run:
            transaction.set_rollback(True)
            for plan in report.to_create:
                plan.practice_id = None
        else:
            report.stored = True


def _city(*, actor, name: str, country: str) -> Place:
    """Get or create an international city through the places service (or, where that service is not
    installed, the minimal equivalent here)."""
    try:
        from panreflex.places.services import city_get_or_create
    except ImportError:  # pragma: no cover - the places service is part of the foundation
        city_get_or_create = None
    if city_get_or_create is not None:
        return city_get_or_create(actor=actor, name=name, country_code=country)
    existing = Place.objects.filter(kind=Place.Kind.CITY, country_code=country, name__iexact=name).first()
    if existing:
        return existing
    place = Place(kind=Place.Kind.CITY, name=name, country_code=country, source="import")
    place.full_clean()
    place.save()
    return place
