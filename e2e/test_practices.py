"""Practice examples in the browser: write, submit, review with a field comment, fix, approve, read.

Every page visited gets an axe check (check_a11y) and a screenshot in e2e/screenshots/practices-*.png.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import check_a11y, login

pytestmark = pytest.mark.e2e
TITLE = "Hitzetelefon für allein lebende Ältere (Browsertest)"


def test_write_review_fix_approve_read(new_page):
    author = new_page()
    login(author, "redaktion@dortmund.example")
    author.goto("/praxisbeispiele/neu/")
    check_a11y(author, name="practices-form")
    author.locator("#id_title").fill(TITLE)
    author.locator("#id_summary").fill("Ehrenamtliche riefen in Hitzewellen allein lebende Ältere an.")
    author.locator("#id_period_start").fill("2022-06")
    author.locator("#id_period_end").fill("2021-08")  # wrong order on purpose
    author.locator("input[name=visibility][value=public]").check()
    author.get_by_label("Umgang mit vulnerablen Gruppen").check()
    author.locator("#id_description").fill("Das **Hitzetelefon** <script>alert(1)</script> rief täglich an.")
    author.get_by_role("button", name="Speichern").click()
    summary = author.locator(".error-summary")
    assert "Der Endmonat darf nicht vor dem Anfangsmonat liegen." in summary.inner_text()
    check_a11y(author, name="practices-form-errors")
    assert author.locator("#id_title").input_value() == TITLE  # values kept
    author.locator("#id_period_end").fill("2022-08")
    author.locator("#id_sources-0-title").fill("Stadt Dortmund: Hitzeschutz (Demo-Quelle)")
    author.get_by_role("button", name="Speichern").click()
    author.wait_for_load_state("networkidle")
    assert author.locator("h1").inner_text() == TITLE
    assert author.locator(".prose strong").inner_text() == "Hitzetelefon"
    check_a11y(author, name="practices-detail-draft")
    detail_url = author.url
    author.get_by_role("button", name="Zur Prüfung einreichen").click()
    assert "zur Prüfung eingereicht" in author.locator(".messages").inner_text()

    reviewer = new_page()
    login(reviewer, "redaktion@koeln.example")
    reviewer.goto("/praxisbeispiele/pruefungen/")
    check_a11y(reviewer, name="practices-review-desk")
    reviewer.get_by_role("link", name=TITLE).click()
    reviewer.get_by_role("button", name="Zur Prüfung übernehmen").click()
    reviewer.wait_for_load_state("networkidle")
    check_a11y(reviewer, name="practices-review-form")
    reviewer.locator("#id_comments-0-field").select_option("summary")
    reviewer.locator("#id_comments-0-text").fill("Bitte nennen Sie, wie viele Menschen erreicht wurden.")
    reviewer.get_by_label("Änderungen erbeten").check()
    reviewer.get_by_role("button", name="Prüfung speichern").click()
    assert "Ihre Prüfung wurde gespeichert." in reviewer.locator(".messages").inner_text()

    anonymous = new_page()
    assert anonymous.goto(detail_url).status == 404  # not public before approval

    author.goto(detail_url)
    author.get_by_role("link", name="Bearbeiten").click()
    author.wait_for_load_state("networkidle")
    assert "Bitte nennen Sie, wie viele Menschen erreicht wurden." in author.locator(".field-comment").first.inner_text()
    check_a11y(author, name="practices-form-with-comments")
    author.locator("#id_summary").fill(
        "Ehrenamtliche riefen in Hitzewellen rund 300 allein lebende Ältere an.")
    author.get_by_role("button", name="Speichern").click()
    author.get_by_role("button", name="Zur Prüfung einreichen").click()

    reviewer.goto(detail_url)
    reviewer.get_by_role("button", name="Zur Prüfung übernehmen").click()
    reviewer.wait_for_load_state("networkidle")
    reviewer.get_by_role("link", name=re.compile("Was sich geändert hat")).click()
    assert "300" in reviewer.locator("ins").first.inner_text() + reviewer.locator("ins").nth(1).inner_text()
    check_a11y(reviewer, name="practices-diff")
    reviewer.go_back()
    reviewer.get_by_label("Freigegeben").check()
    reviewer.get_by_role("button", name="Prüfung speichern").click()
    reviewer.wait_for_load_state("networkidle")

    response = anonymous.goto(detail_url)
    assert response.status == 200
    assert anonymous.locator("h1").inner_text() == TITLE
    assert "rund 300" in anonymous.locator(".lead").inner_text()
    assert anonymous.locator("script:not([src])").count() == 0  # the script in Markdown stayed text
    check_a11y(anonymous, name="practices-detail-public")
    pdf = anonymous.request.get(detail_url + "steckbrief.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    author.goto(detail_url + "versionen/")
    assert author.locator("tbody tr").count() == 3  # created, edited after review, approved
    check_a11y(author, name="practices-versions")


def test_overviews_and_lists(new_page):
    page = new_page()
    page.goto("/praxisbeispiele/karte/")
    assert page.locator("svg.svg-map path").count() == 396
    check_a11y(page, name="practices-map")
    page.locator("#map-table tbody a").first.click()
    page.locator("#ort li a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    check_a11y(page, name="practices-detail-demo")
    demo_url = page.url
    page.goto("/praxisbeispiele/zeitleiste/")
    check_a11y(page, name="practices-timeline")
    login(page, "mitglied@dortmund.example")
    page.goto("/praxisbeispiele/sammlungen/neu/")
    page.get_by_label("Titel").fill("Hitze und Ältere")
    page.get_by_label("per Link geteilt").check()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page, name="practices-collection")
    share_url = page.locator("#share-url").input_value()
    page.goto(demo_url)
    page.get_by_role("button", name="Auf die Merkliste").click()
    page.get_by_role("button", name="Auf meiner Merkliste").wait_for()  # HTMX swapped the button
    page.locator("#id_collection").select_option(label="Hitze und Ältere")
    page.get_by_role("button", name="Hinzufügen").click()
    page.wait_for_load_state("networkidle")
    page.goto("/praxisbeispiele/merkliste/")
    assert page.locator(".card-list > li").count() == 1
    check_a11y(page, name="practices-watchlist")
    demo_id = int(demo_url.rstrip("/").rsplit("/", 1)[1])
    page.goto(f"/praxisbeispiele/vergleich/?ids={demo_id}&ids={1 if demo_id != 1 else 2}")
    assert page.locator("table.compare thead th").count() == 2
    check_a11y(page, name="practices-compare")
    other = new_page(viewport={"width": 360, "height": 800})
    other.goto(share_url)
    assert other.locator("h1").inner_text() == "Hitze und Ältere"
    assert other.locator(".collection-items > li").count() == 1
    check_a11y(other, name="practices-collection-shared-mobile")
