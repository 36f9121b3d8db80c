import pytest

from panreflex.accounts.demo import load_demo_accounts
from panreflex.evidence.demo import load_demo_evidence
from panreflex.evidence.models import HandbookEdition, Insight, Recommendation
from panreflex.improvements.demo import load_demo_improvements
from panreflex.improvements.models import ActionItem

pytestmark = pytest.mark.django_db


def test_demo_loaders_are_idempotent():
    from panreflex.practices.demo import load_demo_practices

    load_demo_accounts()
    load_demo_practices()
    for _ in range(2):
        load_demo_improvements()
        load_demo_evidence()
    assert ActionItem.objects.filter(is_demo=True, organisation__slug="dortmund").count() == 4
    assert Insight.objects.filter(is_demo=True).count() == 6
    recs = Recommendation.objects.filter(is_demo=True)
    assert recs.count() == 7 and recs.filter(status="published").count() == 6
    assert set(recs.values_list("lever__code", flat=True)) == {
        "strategic-task", "competence-knowledge", "staff-reserves", "staff-care", "networks-exercises",
        "vulnerable-in-staff", "debriefing"}
    # the demo recommendations rest on the default practice examples, by their external keys
    assert recs.filter(evidence__practice__external_key="facts-21").exists()
    assert HandbookEdition.objects.count() == 1 and HandbookEdition.objects.get().chapters.count() == 6
