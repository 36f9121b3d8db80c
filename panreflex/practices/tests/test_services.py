"""Services: create/update contract, versions, staged edits, workflow transitions and reviewer rules."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from panreflex.accounts.models import Visibility
from panreflex.practices import services_workflow as wf
from panreflex.practices.models import Practice, PracticeReview
from panreflex.practices.services import practice_snapshot, practice_update
from panreflex.practices.services_lists import (
    collection_create,
    collection_item_add,
    collection_item_move,
    watchlist_toggle,
)

from .factories import make_practice, term

S = Practice.Status


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def practice(personas):
    return make_practice(organisation=personas.dortmund, author=personas.alice, visibility=Visibility.PUBLIC,
                         m2m={"themes": [term("theme", "T3")], "places": [personas.dortmund.place]},
                         sources=[{"title": "WAZ", "url": "https://www.waz.de/x", "published_on": date(2021, 5, 3)}])


def test_create_writes_version_audit_and_month_precision(personas):
    p = make_practice(organisation=personas.dortmund, author=personas.alice, period_start=date(2021, 5, 17),
                      period_end=date(2021, 9, 30))
    assert (p.period_start, p.period_end) == (date(2021, 5, 1), date(2021, 9, 1))
    assert [v.number for v in p.versions.all()] == [1]
    assert p.released_at is None and p.published_at is None
    from panreflex.audit.selectors import audit_for_object

    assert audit_for_object(obj=p).first().action == "create"


def test_create_published_public_sets_release(personas):
    p = make_practice(organisation=personas.dortmund, author=personas.dora, status=S.PUBLISHED,
                      visibility=Visibility.PUBLIC)
    assert p.published_at is not None and p.released_at is not None


def test_create_validates_period_order(personas):
    with pytest.raises(ValidationError):
        make_practice(organisation=personas.dortmund, author=personas.alice, period_start=date(2022, 1, 1),
                      period_end=date(2021, 1, 1))
    assert not Practice.objects.exists()


def test_update_versions_and_snapshot(practice, personas):
    practice_update(practice=practice, author=personas.alice, data={"title": "Impfbus 2"},
                    m2m={"themes": [term("theme", "T1")]})
    assert [v.number for v in practice.versions.all()] == [2, 1]
    snap = practice_snapshot(practice)
    assert snap["title"] == "Impfbus 2"
    assert [t["code"] for t in snap["themes"]] == ["T1"]
    assert snap["sources"][0]["published_on"] == "2021-05-03"
    assert snap["places"][0]["ags"] == "05913000"


def test_change_is_announced_after_commit(personas, django_capture_on_commit_callbacks):
    from panreflex.practices.signals import practice_changed

    calls = []

    def receiver(sender, practice_id, deleted, **kwargs):
        calls.append((practice_id, deleted))

    practice_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            p = make_practice(organisation=personas.dortmund, author=personas.alice)
        assert calls == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        practice_changed.disconnect(receiver)
    assert calls == [(p.pk, False)]


def test_full_workflow_to_public(practice, personas):
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    assert practice.status == S.IN_REVIEW and practice.reviewer == personas.charlie
    review = wf.practice_review(practice=practice, reviewer=personas.charlie, decision="changes",
                                comments=[("summary", "Bitte Zahlen ergänzen."), ("title", "  ")])
    assert practice.status == S.CHANGES_REQUESTED
    assert [(c.field, c.text) for c in review.comments.all()] == [("summary", "Bitte Zahlen ergänzen.")]
    wf.practice_edit(practice=practice, author=personas.alice, data={"summary": "Mit Zahlen: 1.200 Impfungen."})
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    wf.practice_review(practice=practice, reviewer=personas.charlie, decision="approve")
    practice.refresh_from_db()
    assert practice.status == S.PUBLISHED and practice.released_at and practice.published_at
    assert practice.versions.first().status == S.PUBLISHED


def test_network_visibility_published_is_not_released(personas):
    p = make_practice(organisation=personas.dortmund, author=personas.alice, visibility=Visibility.NETWORK)
    wf.practice_submit(practice=p, actor=personas.alice)
    wf.practice_review_take(practice=p, reviewer=personas.dora)
    wf.practice_review(practice=p, reviewer=personas.dora, decision="approve")
    assert p.status == S.PUBLISHED and p.released_at is None


@pytest.mark.parametrize("name", ["alice", "bob", "carla", "vera"])
def test_own_organisation_cannot_review(practice, personas, name):
    wf.practice_submit(practice=practice, actor=personas.alice)
    with pytest.raises(ValidationError) as exc:
        wf.practice_review_take(practice=practice, reviewer=personas.user(name))
    assert exc.value.messages == [
        "Sie können dieses Beispiel nicht prüfen: Prüfende sind das Projektteam oder Redakteur*innen einer anderen "
        "Kommune, nie der eigenen Organisation."
    ]


def test_reviewer_rules(practice, personas):
    assert wf.can_review(personas.charlie, practice)
    assert wf.can_review(personas.dora, practice)
    assert not wf.can_review(personas.alice, practice)
    assert not wf.is_reviewer(personas.bob)
    assert wf.is_reviewer(personas.charlie)


def test_refused_transitions_have_messages(practice, personas):
    with pytest.raises(ValidationError) as exc:
        wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    assert exc.value.messages == ["Nur eingereichte Beispiele können zur Prüfung übernommen werden "
                                  "(aktueller Status: Entwurf)."]
    with pytest.raises(ValidationError) as exc:
        wf.practice_archive(practice=practice, actor=personas.alice)
    assert "Nur veröffentlichte Beispiele" in exc.value.messages[0]
    wf.practice_submit(practice=practice, actor=personas.alice)
    with pytest.raises(ValidationError) as exc:
        wf.practice_submit(practice=practice, actor=personas.alice)
    assert exc.value.messages == ["Nur Entwürfe oder Beispiele mit erbetenen Änderungen können eingereicht werden "
                                  "(aktueller Status: Eingereicht)."]
    with pytest.raises(ValidationError) as exc:
        wf.practice_review(practice=practice, reviewer=personas.charlie, decision="approve")
    assert exc.value.messages == ["Übernehmen Sie das Beispiel zuerst zur Prüfung (aktueller Status: Eingereicht)."]
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    with pytest.raises(ValidationError) as exc:
        wf.practice_review(practice=practice, reviewer=personas.charlie, decision="changes", comments=[])
    assert exc.value.messages == ["Sagen Sie, was sich ändern soll: mit einem Kommentar zu einem Feld oder "
                                  "einem Gesamtkommentar."]
    with pytest.raises(ValidationError) as exc:
        wf.practice_edit(practice=practice, author=personas.alice, data={"title": "X"})
    assert exc.value.messages == ["Das Beispiel wird gerade geprüft; Sie können es nach der Prüfung wieder bearbeiten."]


def test_other_reviewer_cannot_decide_taken_review(practice, personas):
    from panreflex.testing.factories import MembershipFactory, municipality_org

    essen = municipality_org("05113000", slug="essen")
    emil = MembershipFactory(organisation=essen, role="editor").user
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    with pytest.raises(ValidationError) as exc:
        wf.practice_review(practice=practice, reviewer=emil, decision="approve")
    assert exc.value.messages == ["Eine andere Person hat dieses Beispiel bereits zur Prüfung übernommen."]


def _publish(practice, personas):
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.dora)
    wf.practice_review(practice=practice, reviewer=personas.dora, decision="approve")


def test_edit_of_published_is_staged_until_approved(practice, personas):
    _publish(practice, personas)
    released = practice.released_at
    wf.practice_edit(practice=practice, author=personas.alice, data={"title": "Neuer Titel"},
                     m2m={"themes": [term("theme", "T1")]})
    practice.refresh_from_db()
    assert practice.title == "Impfbus für Stadtteile"  # the public still sees the published text
    assert practice.status == S.PUBLISHED and practice.pending_status == S.DRAFT
    assert list(practice.themes.values_list("code", flat=True)) == ["T3"]
    staged = practice.versions.first()
    assert staged.snapshot["title"] == "Neuer Titel" and staged.status == S.DRAFT
    wf.practice_submit(practice=practice, actor=personas.alice)
    assert practice.pending_status == S.SUBMITTED and practice.status == S.PUBLISHED
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    wf.practice_review(practice=practice, reviewer=personas.charlie, decision="approve", summary="Gut.")
    practice.refresh_from_db()
    assert practice.title == "Neuer Titel" and practice.pending is None and practice.pending_status == ""
    assert list(practice.themes.values_list("code", flat=True)) == ["T1"]
    assert practice.released_at == released


def test_staged_edit_is_validated(practice, personas):
    _publish(practice, personas)
    with pytest.raises(ValidationError):
        wf.practice_edit(practice=practice, author=personas.alice,
                         data={"period_start": date(2022, 1, 1), "period_end": date(2020, 1, 1)})
    practice.refresh_from_db()
    assert practice.pending is None


def test_archive_and_reopen(practice, personas):
    _publish(practice, personas)
    wf.practice_archive(practice=practice, actor=personas.alice)
    assert practice.status == S.ARCHIVED and practice.released_at is None
    wf.practice_reopen(practice=practice, actor=personas.alice)
    assert practice.status == S.DRAFT


def test_delete_only_unpublished(practice, personas):
    _publish(practice, personas)
    with pytest.raises(ValidationError) as exc:
        wf.practice_delete(practice=practice, actor=personas.alice)
    assert exc.value.messages == ["Veröffentlichte Beispiele werden archiviert, nicht gelöscht."]


def test_comment_only_review_keeps_state(practice, personas):
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    review = wf.practice_review(practice=practice, reviewer=personas.charlie, decision="comment", summary="Notiz")
    assert review.decision == PracticeReview.Decision.COMMENT and practice.status == S.IN_REVIEW


def test_watchlist_and_collection_order(practice, personas):
    assert watchlist_toggle(user=personas.bob, practice=practice) is True
    assert watchlist_toggle(user=personas.bob, practice=practice) is False
    other = make_practice(organisation=personas.dortmund, author=personas.alice, title="Zweites")
    coll = collection_create(owner=personas.bob, title="Auswahl")
    first = collection_item_add(collection=coll, practice=practice)
    second = collection_item_add(collection=coll, practice=other)
    assert collection_item_add(collection=coll, practice=practice) == first  # no duplicates
    collection_item_move(item=second, direction="up")
    assert list(coll.items.values_list("practice_id", flat=True)) == [other.pk, practice.pk]
    with pytest.raises(ValidationError):
        collection_item_move(item=second, direction="sideways")
