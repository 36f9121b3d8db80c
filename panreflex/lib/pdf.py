"""HTML → PDF with WeasyPrint. Templates are normal Django templates; only the platform's own static
files are fetched (no network): the URL fetcher refuses everything but /static/ and data: URLs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    marker = settings.STATIC_URL
    if marker in url:
        rel = url.split(marker, 1)[1].split("?")[0]
        path = finders.find(rel)
        if path:
            return {"file_obj": open(path, "rb"), "filename": Path(path).name}  # noqa: SIM115
    raise ValueError(f"PDF rendering does not fetch external resources: {url}")


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher).write_pdf()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher).write_pdf()
