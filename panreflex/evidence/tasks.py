"""Background tasks of the evidence domain (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def render_handbook_pdf(edition_id: int) -> int:
    """Render the PDF of a published edition once and keep it (returns its size in bytes)."""
    from . import handbook, services
    from .models import HandbookEdition

    edition = HandbookEdition.objects.get(pk=edition_id)
    if edition.pdf:
        return edition.pdf.size
    pdf = handbook.render_pdf(edition)
    services.handbook_edition_store_pdf(edition=edition, pdf=pdf)
    return len(pdf)
