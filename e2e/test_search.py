"""Practice search in a real browser: query, facet (HTMX update, URL kept shareable), synonyms page."""

import re

from e2e.conftest import check_a11y, login


def test_search_with_query_and_facet(server, page):
    page.goto("/praxisbeispiele/")
    assert page.locator("h1").inner_text() == "Praxisbeispiele"
    check_a11y(page, name="search-list")
    page.get_by_label("Praxisbeispiele durchsuchen").fill("Bus für Impfungen")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"q=Bus"))
    page.wait_for_load_state("networkidle")
    hits = page.locator(".search-hit")
    assert hits.count() >= 3
    assert page.locator(".search-hit mark").count() > 0
    assert "Impfbus" in page.locator(".search-hits").inner_text()
    check_a11y(page, name="search-query")
    # a facet value: results and URL update in place (HTMX), the query stays
    before = hits.count()
    page.locator("#search-results .facet").first.locator("input[type=checkbox]").first.check()
    page.wait_for_url(re.compile(r"theme="))
    page.wait_for_load_state("networkidle")
    assert "q=Bus" in page.url
    assert 0 < page.locator(".search-hit").count() <= before
    assert page.locator("#search-results input[type=checkbox]:checked").count() == 1
    check_a11y(page, name="search-facet")
    # the URL is shareable: loading it again gives the same page
    url = page.url
    page.goto(url)
    assert page.locator("#search-results input[type=checkbox]:checked").count() == 1


def test_long_facet_shows_all_values_on_request(server, page):
    page.goto("/praxisbeispiele/")
    facet = page.locator("#search-results details.facet", has=page.locator("input[name=municipality]"))
    facet.locator("summary").click()
    shown = facet.locator("input[type=checkbox]").count()
    assert shown == 10
    more = facet.get_by_role("link", name=re.compile("weitere Werte von „Kommune oder Stadt“"))
    more.click()
    page.wait_for_url(re.compile(r"more=municipality"))
    page.wait_for_load_state("networkidle")
    facet = page.locator("#search-results details.facet", has=page.locator("input[name=municipality]"))
    assert facet.get_attribute("open") is not None
    assert facet.locator("input[type=checkbox]").count() > shown
    check_a11y(page, name="search-facet-all-values")
    # choosing a value keeps the long list open (the form sends "more" along)
    facet.locator("input[type=checkbox]").last.check()
    page.wait_for_url(re.compile(r"municipality=\d+"))
    page.wait_for_load_state("networkidle")
    assert "more=municipality" in page.url
    page.screenshot(path="/tmp/search-facet-more.png", full_page=True)


def test_empty_state_and_narrow_screen(server, new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto("/praxisbeispiele/?q=Zeppelinhangar")
    assert "Keine Praxisbeispiele gefunden" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(page, name="search-empty-360")


def test_staff_edits_synonyms(server, page):
    login(page, "team@panreflex.example")
    page.goto("/praxisbeispiele/synonyme/")
    check_a11y(page, name="search-synonyms")
    page.get_by_role("link", name="Synonymgruppe hinzufügen").click()
    page.get_by_label("Wörter mit gleicher Bedeutung").fill("Lollitest, Lolli-Test")
    check_a11y(page, name="search-synonym-form")
    page.get_by_role("button", name="Speichern").click()
    assert "Die Synonymgruppe wurde hinzugefügt." in page.content()
    row = page.locator("tr", has_text="Lollitest, Lolli-Test")
    row.get_by_role("link", name=re.compile("^Löschen")).click()
    check_a11y(page, name="search-synonym-delete")
    page.get_by_role("button", name="Löschen").click()
    assert "Die Synonymgruppe wurde gelöscht." in page.content()
