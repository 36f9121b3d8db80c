"""The after-action report / improvement plan of a workshop: PDF (WeasyPrint through
`panreflex.lib.pdf`), DOCX (python-docx, editable) and the board as CSV/XLSX (`panreflex.lib.tabular`)."""

from __future__ import annotations

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from panreflex.lib.pdf import render_pdf
from panreflex.lib.tabular import write_csv, write_xlsx

from . import selectors
from .models import Workshop


def report_context(workshop: Workshop) -> dict:
    return {
        "workshop": workshop, "results": selectors.results_for(workshop=workshop),
        "people": selectors.people(workshop=workshop), "themes": list(workshop.themes.all()),
        "agenda": list(workshop.agenda.all()), "generated_at": timezone.now(),
    }


def report_pdf(workshop: Workshop, *, request=None) -> bytes:
    return render_pdf("workshops/report_pdf.html", report_context(workshop), request=request)


def _when(workshop: Workshop) -> str:
    start = timezone.localtime(workshop.starts_at)
    end = timezone.localtime(workshop.ends_at)
    return f"{formats.date_format(start, 'DATETIME_FORMAT')} – {formats.time_format(end, 'TIME_FORMAT')}"


def _author(card) -> str:
    return card.author_label


def report_docx(workshop: Workshop) -> bytes:
    from docx import Document

    ctx = report_context(workshop)
    res, people = ctx["results"], ctx["people"]
    doc = Document()
    doc.core_properties.title = workshop.title
    doc.add_heading(_("After-action report and improvement plan"), level=0)
    doc.add_paragraph(workshop.title)

    doc.add_heading(_("Overview"), level=1)
    rows = [
        (_("Kind"), workshop.get_kind_display()), (_("Template"), workshop.template.name),
        (_("Organiser"), str(workshop.organisation)), (_("When"), _when(workshop)),
        (_("Mode"), workshop.get_mode_display()), (_("Place"), workshop.location or "–"),
        (_("Focus themes"), ", ".join(t.label for t in ctx["themes"]) or "–"),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
    if workshop.description:
        doc.add_paragraph(workshop.description)

    doc.add_heading(_("Participants"), level=1)
    doc.add_paragraph(_("Organisations involved: %(orgs)s") % {"orgs": ", ".join(str(o) for o in people["organisations"])})
    for label, group in ((_("Facilitators"), people["facilitators"]), (_("Participants"), people["participants"])):
        doc.add_paragraph(f"{label}: " + (", ".join(u.display_name for u in group) or "–"))
    if people["guests"]:
        doc.add_paragraph(_("Guests: %(n)s") % {"n": len(people["guests"])})

    doc.add_heading(_("Timeline of the crisis"), level=1)
    if res.timeline:
        for event in res.timeline:
            doc.add_paragraph(f"{formats.date_format(event.date, 'SHORT_DATE_FORMAT')} – {event.title}",
                              style="List Bullet")
    else:
        doc.add_paragraph(_("No events were added."))

    doc.add_heading(_("Findings"), level=1)
    for title, cards in ((_("Strengths"), res.strengths), (_("Areas for improvement"), res.improvements),
                         (_("Further observations and ideas"), res.other)):
        doc.add_heading(str(title), level=2)
        if not cards:
            doc.add_paragraph(_("None."))
        for card in cards:
            dots = _(" (%(n)s dots)") % {"n": card.total} if card.total else ""
            doc.add_paragraph(f"{card.text}{dots} – {card.column.title}", style="List Bullet")
    doc.add_heading(_("Root causes"), level=2)
    if not res.root_causes:
        doc.add_paragraph(_("None."))
    for note in res.root_causes:
        prefix = f"{note.card}: " if note.card_id else ""
        doc.add_paragraph(prefix + note.text, style="List Bullet")

    doc.add_heading(_("Ratings"), level=1)
    if res.ratings:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        head = table.rows[0].cells
        head[0].text, head[1].text, head[2].text = _("Capability or area"), _("Rating"), _("Justification")
        for rating in res.ratings:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = rating.capability, rating.get_level_display(), rating.justification
    else:
        doc.add_paragraph(_("No ratings."))

    doc.add_heading(_("Insights"), level=1)
    if not res.insights:
        doc.add_paragraph(_("None yet."))
    for insight in res.insights:
        doc.add_paragraph(f"{insight.get_kind_display()}: {insight.statement}", style="List Bullet")

    doc.add_heading(_("Improvement plan"), level=1)
    if res.action_items:
        headers = [_("Corrective action"), _("Capability or area"), _("Responsible organisation"),
                   _("Responsible person"), _("Start date"), _("Completion date (due)")]
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
        for item in res.action_items:
            values = [item.title, item.capability, str(item.responsible_organisation or ""), item.responsible_person,
                      formats.date_format(item.start_date, "SHORT_DATE_FORMAT") if item.start_date else "",
                      formats.date_format(item.due_date, "SHORT_DATE_FORMAT") if item.due_date else ""]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    else:
        doc.add_paragraph(_("No action items yet."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


BOARD_HEADERS = ("card_id", "column", "cluster", "text", "author", "dots", "version", "created_at")


def board_rows(workshop: Workshop) -> list[list]:
    res = selectors.results_for(workshop=workshop)
    cards = sorted([*res.strengths, *res.improvements, *res.other],
                   key=lambda c: (c.column.position, c.cluster.title if c.cluster else "", c.position, c.pk))
    show_votes = workshop.votes_revealed
    return [[c.pk, c.column.title, c.cluster.title if c.cluster else "", c.text, _author(c),
             c.total if show_votes else "", c.version, timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")]
            for c in cards]


def board_csv(workshop: Workshop) -> bytes:
    return write_csv(BOARD_HEADERS, board_rows(workshop))


def board_xlsx(workshop: Workshop) -> bytes:
    res = selectors.results_for(workshop=workshop)
    timeline = [[e.date.isoformat(), e.title, e.description, e.get_source_display()] for e in res.timeline]
    ratings = [[r.capability, r.level, r.justification] for r in res.ratings]
    return write_xlsx([
        (_("Board"), BOARD_HEADERS, board_rows(workshop)),
        (_("Timeline"), ("date", "event", "description", "source"), timeline),
        (_("Ratings"), ("capability", "rating", "justification"), ratings),
    ])
