"""Plans, matrix gaps, messages with the approval chain, rumours and the weekly PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from panreflex.communication import selectors, services
from panreflex.communication.models import (
    Message,
    MessageEvent,
    MessageVersion,
    Multiplier,
    Rumour,
    WeeklySummary,
)
from panreflex.improvements.models import ActionItem
from panreflex.vulnerability.tests.factories import VulnerableGroupFactory


@pytest.fixture
def plan(personas):
    plan = services.plan_create(organisation=personas.dortmund, author=personas.alice, title="Hitze",
                                languages=["de", "en", "tr"])
    services.member_add(plan=plan, actor=personas.alice, user=personas.carla, role="approver")
    return plan


def test_every_change_raises_the_version(plan, personas):
    assert plan.versions.count() == 2 and plan.__class__.objects.get(pk=plan.pk).version == 2
    services.audience_add(plan=plan, actor=personas.alice, kind="public", channels=["web"], languages=["de"])
    plan.refresh_from_db()
    assert plan.version == 3 and plan.versions.first().snapshot["audiences"][0]["channels"] == ["web"]


def test_matrix_shows_gaps_and_a_gap_becomes_an_action_item_once(plan, personas):
    group = VulnerableGroupFactory(name="Ältere Menschen")
    audience = services.audience_add(plan=plan, actor=personas.alice, kind="public", channels=[],
                                     languages=["de", "tr"], needs_easy=True)
    services.message_create(plan=plan, author=personas.alice, title="Hitze", text="Trinken Sie Wasser.",
                            audience=audience)
    rows, gaps = selectors.plan_matrix(plan=plan, viewer=personas.alice)
    keys = {g.key for g in gaps}
    assert f"channels:{audience.pk}" in keys and f"lang:{audience.pk}:tr" in keys and f"easy:{audience.pk}" in keys
    assert f"lang:{audience.pk}:de" not in keys and f"group:{group.pk}" in keys
    assert [(code, present) for code, _name, present in rows[0].languages] == [("de", True), ("tr", False)]
    item = services.gap_to_action_item(plan=plan, actor=personas.alice, gap_key=f"lang:{audience.pk}:tr")
    assert ActionItem.objects.get(pk=item.pk).organisation == personas.dortmund
    assert plan.get_absolute_url() == item.source_url
    with pytest.raises(ValidationError):
        services.gap_to_action_item(plan=plan, actor=personas.alice, gap_key=f"lang:{audience.pk}:tr")
    with pytest.raises(ValidationError):
        services.gap_to_action_item(plan=plan, actor=personas.alice, gap_key="no-such-gap")
    assert ActionItem.objects.count() == 1


def test_audience_languages_must_be_in_the_plan(plan, personas):
    with translation.override("de"), pytest.raises(ValidationError) as info:
        services.audience_add(plan=plan, actor=personas.alice, kind="public", languages=["ar"])
    assert "Arabisch" in str(info.value)


def test_personal_contact_data_only_with_consent(plan, personas):
    with pytest.raises(ValidationError):
        services.multiplier_add(plan=plan, actor=personas.alice, organisation_name="Moscheeverein", role="Vorstand",
                                contact_person="A. B.")
    services.multiplier_add(plan=plan, actor=personas.alice, organisation_name="Moscheeverein", role="Vorstand",
                            contact_person="A. B.", consent_at=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Multiplier.objects.create(plan=plan, organisation_name="X", role="Y", contact_details="0231 …")


def test_message_in_a_language_the_plan_does_not_configure_is_refused(plan, personas):
    message = services.message_create(plan=plan, author=personas.alice, title="Hitze", text="Trinken Sie Wasser.")
    with translation.override("de"), pytest.raises(ValidationError) as info:
        services.message_version_save(message=message, actor=personas.alice, language="ar", variant="standard",
                                      text="…")
    assert "sieht Arabisch nicht vor" in str(info.value)
    assert message.versions.count() == 1


def test_easy_and_plain_versions_are_linked_to_their_source(plan, personas):
    message = services.message_create(plan=plan, author=personas.alice, title="Hitze",
                                      text="Bei Hitze sollten Sie ausreichend Flüssigkeit zu sich nehmen.")
    easy = services.message_version_save(message=message, actor=personas.alice, language="de", variant="easy",
                                         text="Es ist heiß. Trinken Sie viel Wasser.")
    standard = message.versions.get(variant="standard")
    assert easy.source == standard and easy.scores["flesch"] > standard.scores["flesch"]
    with pytest.raises(ValidationError):
        services.message_version_save(message=message, actor=personas.alice, language="en", variant="easy", text="x")


def test_approval_only_by_the_chain_and_the_approved_version_is_frozen(plan, personas):
    message = services.message_create(plan=plan, author=personas.alice, title="Hitze", text="Trinken Sie Wasser.")
    services.message_transition(message=message, actor=personas.alice, to_status="review")
    with translation.override("de"), pytest.raises(ValidationError) as info:
        services.message_transition(message=message, actor=personas.alice, to_status="approved")
    assert "Freigabekette" in str(info.value)
    assert Message.objects.get(pk=message.pk).status == "review"
    services.message_transition(message=message, actor=personas.carla, to_status="approved")
    message.refresh_from_db()
    assert message.status == "approved" and message.approved_by == personas.carla and message.approved_at
    assert all(v.frozen_at for v in message.versions.all())
    with pytest.raises(ValidationError):
        services.message_version_save(message=message, actor=personas.alice, language="de", variant="standard",
                                      text="geändert")
    assert MessageVersion.objects.get(message=message).text == "Trinken Sie Wasser."
    services.message_transition(message=message, actor=personas.alice, to_status="published")
    with pytest.raises(ValidationError):
        services.message_transition(message=message, actor=personas.alice, to_status="draft")
    steps = list(MessageEvent.objects.filter(message=message).values_list("to_status", "actor__email"))
    assert steps == [("draft", "alice@example.org"), ("review", "alice@example.org"),
                     ("approved", "carla@example.org"), ("published", "alice@example.org")]


def test_a_deputy_approves_and_someone_of_another_city_cannot(plan, personas):
    services.member_add(plan=plan, actor=personas.alice, user=personas.bob, role="deputy")
    with pytest.raises(ValidationError):
        services.member_add(plan=plan, actor=personas.alice, user=personas.charlie, role="approver")
    message = services.message_create(plan=plan, author=personas.alice, title="Hitze", text="Trinken Sie Wasser.")
    services.message_transition(message=message, actor=personas.alice, to_status="review")
    with pytest.raises(ValidationError):
        services.message_transition(message=message, actor=personas.charlie, to_status="approved")
    services.message_transition(message=message, actor=personas.bob, to_status="approved")


def test_rumour_answered_by_a_message_and_duplicates_proposed(plan, personas):
    message = services.message_create(plan=plan, author=personas.alice, title="Trinkwasser", text="Das Wasser ist gut.")
    rumour = services.rumour_create(
        organisation=personas.dortmund, author=personas.alice, category="misinformation",
        claim="Das Leitungswasser in Dortmund ist wegen der Hitze verseucht",
        first_seen_at=timezone.now() - timedelta(hours=3), first_seen_where="Messenger-Gruppe", likelihood=4, harm=4)
    assert rumour.risk == 16 and rumour.risk_level == "high"
    similar = selectors.rumour_similar(organisation=personas.dortmund,
                                       claim="Leitungswasser ist verseucht wegen der Hitze in Dortmund")
    assert similar == [rumour]
    assert selectors.rumour_similar(organisation=personas.koeln, claim=rumour.claim) == []
    rumour = services.rumour_update(rumour=rumour, actor=personas.alice, response=message)
    assert rumour.status == Rumour.Status.ANSWERED and rumour.answered_at
    with pytest.raises(ValidationError):
        services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="question", claim="x",
                               first_seen_at=timezone.now() + timedelta(days=2), first_seen_where="y")


def test_weekly_summary_pdf_is_rendered_by_the_task(personas):
    from panreflex.communication.tasks import render_weekly_summary

    services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="question",
                           claim="Wo gibt es kühle Räume?", first_seen_at=timezone.now(), first_seen_where="Hotline")
    render_weekly_summary.enqueue(personas.dortmund.pk, timezone.localdate().isoformat())
    summary = WeeklySummary.objects.get(organisation=personas.dortmund)
    assert summary.week_start.weekday() == 0
    with summary.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "Wo gibt es kühle Räume?" in text
