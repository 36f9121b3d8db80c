"""The platform shell in a real browser: start page, language switch, reference pages; axe on each."""

import re

from e2e.conftest import check_a11y, login


def test_start_page_and_language_switch(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text().startswith("PanReflex")
    check_a11y(page, name="shell-home-de")
    # skip link is the first focusable element and leads to main
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    with page.expect_navigation():
        page.get_by_label("Sprache").select_option("en")  # the select submits its form on change
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Skip to main content" in page.content()
    check_a11y(page, name="shell-home-en")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("de")
    assert page.locator("html").get_attribute("lang") == "de"


def test_reference_pages(page):
    for path, name in [
        ("/datenquellen/", "shell-datasources"),
        ("/orte/?q=Dortmund", "shell-places"),
        ("/vokabular/", "shell-vocabularies"),
        ("/vokabular/theme/", "shell-themes"),
        ("/barrierefreiheit/", "shell-accessibility"),
    ]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        check_a11y(page, name=name)
    page.goto("/orte/?q=Dortmund&kind=municipality")
    page.get_by_role("link", name="Dortmund").first.click()
    assert "05913000" in page.content()
    check_a11y(page, name="shell-place-detail")


def test_dashboard_after_login_and_narrow_screen(new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    login(page, "redaktion@dortmund.example")
    page.wait_for_url(re.compile(r"/start/"))
    assert "Stadt Dortmund" in page.content()
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(page, name="shell-dashboard-360")


def test_staff_edits_a_vocabulary_term(page):
    login(page, "team@panreflex.example")
    page.goto("/vokabular/target_group/neu/")
    check_a11y(page, name="shell-term-form")
    page.get_by_label("Code").fill("pendler")
    page.get_by_label("Bezeichnung (Deutsch)").fill("Pendler*innen")
    page.get_by_label("Bezeichnung (Englisch)").fill("Commuters")
    page.get_by_role("button", name="Speichern").click()
    assert "Pendler*innen" in page.content()
    check_a11y(page, name="shell-term-list")
