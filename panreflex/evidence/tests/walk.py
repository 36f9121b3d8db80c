from panreflex.testing.walk import WalkCase, expect

from .factories import InsightFactory, InsightSourceFactory


def setup(p):
    p.walk_insight = InsightFactory(organisation=p.dortmund, visibility="private")
    p.walk_insight_source = InsightSourceFactory(insight=p.walk_insight)
    p.walk_insight_network = InsightFactory(organisation=p.dortmund, visibility="network")
    setup_recommendations(p)
    setup_handbook(p)


def cases(p):
    private, network = p.walk_insight, p.walk_insight_network
    members = {"vera": 200, "bob": 200, "alice": 200, "carla": 200, "dora": 200}
    editors = {"alice": 200, "carla": 200, "dora": 200}
    edit = expect(anonymous=302, default=404, **editors)
    return [*recommendation_cases(p), *handbook_cases(p),
        WalkCase("evidence:insight_list", expect=expect(public=200)),
        WalkCase("evidence:insight_list", query="kind=improvement&q=Rollen", htmx=True, expect=expect(public=200)),
        WalkCase("evidence:insight_create", expect=expect(anonymous=302, default=404, charlie=200, **editors)),
        WalkCase("evidence:insight_detail", kwargs={"pk": private.pk}, expect=expect(default=404, **members)),
        WalkCase("evidence:insight_detail", kwargs={"pk": network.pk},
                 expect=expect(anonymous=404, signed_in=200)),
        WalkCase("evidence:insight_edit", kwargs={"pk": private.pk}, expect=edit),
        WalkCase("evidence:insight_merge", kwargs={"pk": private.pk}, expect=edit),
        WalkCase("evidence:insight_split", kwargs={"pk": private.pk}, expect=edit),
        WalkCase("evidence:insight_learned", kwargs={"pk": private.pk}, expect=edit),
        WalkCase("evidence:insight_source_add", kwargs={"pk": private.pk},
                 expect=expect(anonymous=302, signed_in=405)),
        WalkCase("evidence:insight_source_delete", kwargs={"pk": private.pk, "source_pk": p.walk_insight_source.pk},
                 expect=expect(anonymous=302, signed_in=405)),
    ]


def setup_recommendations(p):
    from .factories import RecommendationFactory

    p.walk_rec_private = RecommendationFactory(organisation=p.dortmund, visibility="private")
    p.walk_rec_network = RecommendationFactory(organisation=p.dortmund, visibility="network")


def recommendation_cases(p):
    private = p.walk_rec_private
    members = {"vera": 200, "bob": 200, "alice": 200, "carla": 200, "dora": 200}
    editors = {"alice": 200, "carla": 200, "dora": 200}
    post_only = expect(anonymous=302, signed_in=405)
    return [
        WalkCase("evidence:recommendation_list", expect=expect(public=200)),
        WalkCase("evidence:recommendation_list", query="status=draft&q=Empfehlung", htmx=True,
                 expect=expect(public=200)),
        WalkCase("evidence:recommendation_create", expect=expect(anonymous=302, default=404, charlie=200, **editors)),
        WalkCase("evidence:recommendation_detail", kwargs={"pk": private.pk}, expect=expect(default=404, **members)),
        WalkCase("evidence:recommendation_detail", kwargs={"pk": p.walk_rec_network.pk},
                 expect=expect(anonymous=404, signed_in=200)),
        WalkCase("evidence:recommendation_edit", kwargs={"pk": private.pk},
                 expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("evidence:recommendation_chain", kwargs={"pk": private.pk}, expect=expect(default=404, **members)),
        WalkCase("evidence:recommendation_versions", kwargs={"pk": private.pk}, expect=expect(default=404, **members)),
        WalkCase("evidence:recommendation_evidence_add", kwargs={"pk": private.pk}, expect=post_only),
        WalkCase("evidence:recommendation_evidence_remove", kwargs={"pk": private.pk, "link_pk": 1}, expect=post_only),
        WalkCase("evidence:recommendation_transition", kwargs={"pk": private.pk}, expect=post_only),
        WalkCase("evidence:recommendation_comment", kwargs={"pk": private.pk}, expect=post_only),
        WalkCase("evidence:recommendation_feedback", kwargs={"pk": private.pk}, expect=post_only),
        WalkCase("evidence:contributions", query="kind=practice&id=999999", expect=expect(public=404)),
    ]


def setup_handbook(p):
    from django.utils import timezone

    from panreflex.evidence import services
    from panreflex.evidence.models import Recommendation, RecommendationEvidence

    published = services.handbook_edition_create(actor=p.dora, title="Walk-Handbuch")
    chapter = services.handbook_chapter_add(edition=published, actor=p.dora, title="Kapitel")
    rec = Recommendation.objects.create(organisation=p.research, title="Walk-Empfehlung", statement="Tun.",
                                        status="published", visibility="public", released_at=timezone.now())
    insight = InsightFactory(organisation=p.research, visibility="public", released_at=timezone.now())
    RecommendationEvidence.objects.create(recommendation=rec, kind="insight", insight=insight)
    services.handbook_entry_add(chapter=chapter, actor=p.dora, recommendation=rec)
    services.handbook_edition_publish(edition=published, actor=p.dora)
    p.walk_handbook_rec = rec
    p.walk_handbook_draft = services.handbook_edition_create(actor=p.dora, title="Walk-Entwurf")


def handbook_cases(p):
    staff_only = expect(anonymous=302, default=404, dora=200)
    post_only = expect(anonymous=302, signed_in=405)
    draft = p.walk_handbook_draft.number
    return [
        WalkCase("evidence:handbook_list", expect=expect(public=200)),
        WalkCase("evidence:handbook_create", expect=staff_only),
        WalkCase("evidence:handbook_edition", kwargs={"number": 1}, expect=expect(public=200)),
        WalkCase("evidence:handbook_edition", kwargs={"number": draft}, expect=expect(default=404, dora=200)),
        WalkCase("evidence:handbook_edit", kwargs={"number": draft}, expect=staff_only),
        WalkCase("evidence:handbook_structure", kwargs={"number": draft}, expect=post_only),
        WalkCase("evidence:handbook_publish", kwargs={"number": draft}, expect=post_only),
        WalkCase("evidence:handbook_pdf", kwargs={"number": draft}, expect=expect(public=404)),
        WalkCase("evidence:handbook_changes", kwargs={"number": 1}, expect=expect(public=200)),
        WalkCase("evidence:handbook_recommendation", kwargs={"number": 1, "pk": p.walk_handbook_rec.pk},
                 expect=expect(public=200)),
    ]


def id_cases(p, f):
    """Ids of Köln's private objects (`f`, see testing/walk.foreign_private) in evidence forms and links."""
    from panreflex.testing.walk import OUTSIDERS, IdCase

    ins, rec = p.walk_insight, p.walk_rec_private
    new = {"organisation": p.dortmund.pk, "statement": "Neue Erkenntnis", "kind": "strength", "visibility": "private"}
    new_rec = {"organisation": p.dortmund.pk, "title": "Neue Empfehlung", "statement": "Üben.", "priority": "high",
               "effort": "low", "visibility": "private"}
    return [
        IdCase("evidence:insight_create", "source-object_id", f["workshop"].pk, data={**new, "source-kind": "workshop"},
               covers=("SourceForm.object_id",)),
        IdCase("evidence:insight_create", "source-object_id", f["card"].pk, data={**new, "source-kind": "workshop_card"}),
        IdCase("evidence:insight_create", "source-practice", f["practice"].pk, data={**new, "source-kind": "practice"},
               covers=("SourceForm.practice",)),
        IdCase("evidence:insight_source_add", "object_id", f["workshop"].pk, kwargs={"pk": ins.pk},
               data={"kind": "workshop"}),
        IdCase("evidence:insight_source_add", "object_id", f["card"].pk, kwargs={"pk": ins.pk},
               data={"kind": "workshop_card"}),
        IdCase("evidence:insight_source_add", "practice", f["practice"].pk, kwargs={"pk": ins.pk},
               data={"kind": "practice"}),
        IdCase("evidence:insight_merge", "duplicates", [f["insight"].pk], kwargs={"pk": ins.pk},
               covers=("MergeForm.duplicates",)),
        IdCase("evidence:insight_split", "sources", [f["source"].pk], kwargs={"pk": ins.pk},
               data={"statement": "Ein Teil", "kind": "strength"}, covers=("SplitForm.sources",)),
        IdCase("evidence:insight_learned", "action_item", f["action_item"].pk, kwargs={"pk": ins.pk},
               data={"evidence": ""}, covers=("LearnedForm.action_item",)),
        IdCase("evidence:recommendation_evidence_add", "insight", f["insight"].pk, kwargs={"pk": rec.pk},
               covers=("EvidenceLinkForm.insight",)),
        IdCase("evidence:recommendation_evidence_add", "practice", f["practice"].pk, kwargs={"pk": rec.pk},
               covers=("EvidenceLinkForm.practice",)),
        IdCase("evidence:recommendation_evidence_add", "target", f["recommendation"].pk, kwargs={"pk": rec.pk},
               covers=("EvidenceLinkForm.target",)),
        IdCase("evidence:recommendation_create", "related", [f["recommendation"].pk], data=new_rec,
               covers=("RecommendationForm.related",)),
        IdCase("evidence:recommendation_edit", "related", [f["recommendation"].pk], kwargs={"pk": rec.pk},
               data={**new_rec, "title": rec.title}),
        IdCase("evidence:contributions", "id", f["workshop"].pk, where="query", data={"kind": "workshop"},
               personas=OUTSIDERS),
        IdCase("evidence:contributions", "id", f["card"].pk, where="query", data={"kind": "workshop_card"},
               personas=OUTSIDERS),
        IdCase("evidence:contributions", "id", f["practice"].pk, where="query", data={"kind": "practice"},
               personas=OUTSIDERS),
    ]
