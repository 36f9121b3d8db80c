"""Evidence and recommendations in a real browser: a researcher turns insights into a recommendation,
reviews and publishes it, publishes a handbook edition as HTML and PDF; a city marks the recommendation
"planned" and finds the new action item in its improvement plan."""

import re

from e2e.conftest import check_a11y, login


def test_insight_to_handbook_to_city_plan(server, new_page):
    page = new_page()
    login(page, "team@panreflex.example")
    page.goto("/empfehlungen/erkenntnisse/")
    assert page.locator("h1").inner_text() == "Erkenntnisse"
    assert page.locator(".card").count() >= 6
    check_a11y(page, name="evidence-insights")
    page.locator(".card a").first.click()
    page.wait_for_url(re.compile(r"/erkenntnisse/\d+/$"))
    check_a11y(page, name="evidence-insight-detail")
    insight_pk = re.search(r"/erkenntnisse/(\d+)/$", page.url).group(1)

    # a status "learned" without evidence is refused
    page.get_by_role("link", name="Als gelernt markieren").click()
    page.get_by_role("button", name="Als gelernt markieren").click()
    assert "nur mit einem Nachweis der Umsetzung" in page.content()
    check_a11y(page, name="evidence-insight-learned-refused")

    # a new recommendation resting on the insight
    page.goto("/empfehlungen/neu/")
    check_a11y(page, name="evidence-recommendation-create")
    page.get_by_label("Organisation").select_option(label="PanReflex-Projektteam")
    page.get_by_label("Titel").fill("Lagebild täglich gemeinsam fortschreiben")
    page.locator("#id_statement").fill(
        "Krisenstäbe sollten ein gemeinsames Lagebild führen, das alle beteiligten Ämter täglich fortschreiben.")
    page.get_by_label("Hebel").select_option(index=1)
    page.get_by_label("Krisenstab", exact=True).check()
    page.get_by_label("Sichtbarkeit").select_option("network")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/empfehlungen/\d+/$"))
    rec_url = page.url
    assert "Lücke: Diese Handlungsempfehlung beruht noch auf keiner Evidenz." in page.content()
    check_a11y(page, name="evidence-recommendation-draft")

    # publishing without evidence is refused
    for status in ("In Prüfung", "Abgestimmt"):
        page.get_by_label("Neuer Status").select_option(label=status)
        page.get_by_role("button", name="Status ändern").click()
    page.get_by_label("Neuer Status").select_option(label="Veröffentlicht")
    page.get_by_role("button", name="Status ändern").click()
    assert "ohne Evidenz kann nicht veröffentlicht werden" in page.content()
    page.get_by_label("Neuer Status").select_option(label="Entwurf")
    page.get_by_label("Kommentar").first.fill("Evidenz fehlt noch.")
    page.get_by_role("button", name="Status ändern").click()

    # link the insight, review and publish
    page.get_by_label("Erkenntnis", exact=True).select_option(value=insight_pk)
    page.get_by_role("button", name="Evidenz verknüpfen").click()
    assert "Die Evidenz wurde verknüpft." in page.content()
    for status in ("In Prüfung", "Abgestimmt", "Veröffentlicht"):
        page.get_by_label("Neuer Status").select_option(label=status)
        page.get_by_role("button", name="Status ändern").click()
        assert f"Der Status ist jetzt „{status}“." in page.content()
    check_a11y(page, name="evidence-recommendation-published")
    page.get_by_role("link", name="Evidenzkette als Graph anzeigen").click()
    assert page.locator("svg.evidence-graph").count() == 1
    check_a11y(page, name="evidence-chain")

    # the handbook: add it to the demo draft edition and publish
    page.goto("/empfehlungen/handbuch/")
    page.locator(".card a").first.click()
    check_a11y(page, name="evidence-handbook-draft")
    select = page.locator("select[name=recommendation]").first
    select.select_option(value=select.locator("option", has_text="Lagebild täglich").get_attribute("value"))
    page.get_by_role("button", name="Hinzufügen").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    # publishing renders the PDF too (the e2e server runs tasks immediately; in production a worker does it)
    with page.expect_navigation(timeout=240_000):
        page.get_by_role("button", name="Ausgabe veröffentlichen").click(no_wait_after=True)
    assert "ist veröffentlicht" in page.content()
    assert "Lagebild täglich gemeinsam fortschreiben" in page.content()
    check_a11y(page, name="evidence-handbook-published")
    edition_url = page.url
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF herunterladen").click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"
    page.goto(edition_url)
    page.get_by_role("link", name=re.compile("Änderungen in dieser Ausgabe")).click()
    page.wait_for_load_state()  # content() during the navigation is empty (seen once on PostgreSQL)
    assert "Neue Handlungsempfehlungen" in page.content()
    check_a11y(page, name="evidence-handbook-changes")

    # a city marks it "planned" and gets an action item
    city = new_page()
    login(city, "mitglied@dortmund.example")
    city.goto(rec_url)
    city.get_by_role("radio", name="Geplant").check()
    city.get_by_label("Als Maßnahme in unseren Maßnahmenplan aufnehmen").check()
    city.get_by_role("button", name="Antwort senden").click()
    assert "jetzt eine Maßnahme in Ihrem Maßnahmenplan" in city.content()
    check_a11y(city, name="evidence-feedback")
    city.get_by_role("link", name="Maßnahme in Ihrem Plan").click()
    assert city.locator("h1").inner_text() == "Lagebild täglich gemeinsam fortschreiben"
    assert "Handlungsempfehlung" in city.content()


def test_remaining_pages_are_accessible(server, new_page):
    """Every page of the evidence domain not walked above passes the axe check (as the project team)."""
    page = new_page()
    login(page, "team@panreflex.example")
    page.goto("/empfehlungen/")
    assert page.locator(".card").count() >= 6
    check_a11y(page, name="evidence-recommendations")
    page.goto("/empfehlungen/erkenntnisse/neu/")
    check_a11y(page, name="evidence-insight-create")
    page.goto("/empfehlungen/erkenntnisse/")
    page.locator(".card a").first.click()
    page.wait_for_url(re.compile(r"/erkenntnisse/\d+/$"))
    insight_url = page.url
    for suffix, name in (("bearbeiten/", "edit"), ("zusammenfuehren/", "merge"), ("aufteilen/", "split")):
        page.goto(insight_url + suffix)
        check_a11y(page, name=f"evidence-insight-{name}")
    page.goto("/empfehlungen/")
    page.locator(".card a").first.click()
    page.wait_for_url(re.compile(r"/empfehlungen/\d+/$"))
    rec_url = page.url
    check_a11y(page, name="evidence-recommendation-detail")
    page.goto(rec_url + "versionen/")
    check_a11y(page, name="evidence-recommendation-versions")
    page.goto(rec_url)
    practice_link = page.locator(".chain a[href^='/praxisbeispiele/']").first
    if practice_link.count():
        practice_id = re.search(r"/(\d+)/", practice_link.get_attribute("href")).group(1)
        page.goto(f"/empfehlungen/beitraege/?kind=practice&id={practice_id}")
        assert page.locator("h1").inner_text() == "Wozu es beigetragen hat"
        check_a11y(page, name="evidence-contributions")
    page.goto("/empfehlungen/handbuch/")
    check_a11y(page, name="evidence-handbook-list")
    page.goto("/empfehlungen/handbuch/neu/")
    check_a11y(page, name="evidence-handbook-create")
    narrow = new_page(viewport={"width": 360, "height": 740})
    narrow.goto(rec_url + "evidenzkette/")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(narrow, name="evidence-chain-360")
