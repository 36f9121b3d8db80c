"""Demo insights (and, further down, recommendations) written in our own words from the default practice
examples; every text is marked as demo. Idempotent by `external_key`."""

from __future__ import annotations

from panreflex.accounts.models import Organisation, User
from panreflex.taxonomy.models import Term, Vocabulary

from .models import Insight
from .services import insight_create

# (key, statement, kind, theme code, phase code, practice external keys to cite if present)
DEMO_INSIGHTS = [
    ("demo-insight-1",
     "[Demo] Ein frühzeitig eingerichteter, ressortübergreifender Krisenstab erleichtert abgestimmte Entscheidungen.",
     Insight.Kind.STRENGTH, "T1", "onset"),
    ("demo-insight-2",
     "[Demo] Informationen in einfacher Sprache und mehreren Sprachen erreichen Menschen, die amtliche Texte sonst nicht lesen.",
     Insight.Kind.STRENGTH, "T2", "acute"),
    ("demo-insight-3",
     "[Demo] Ohne zentrale Übersicht über vulnerable Menschen erreichen Hilfsangebote die Betroffenen zu spät.",
     Insight.Kind.IMPROVEMENT, "T3", "acute"),
    ("demo-insight-4",
     "[Demo] Beschäftigte im Dauereinsatz brauchen geplante Entlastung, sonst sinkt die Arbeitsfähigkeit des Stabes.",
     Insight.Kind.IMPROVEMENT, "T1", "prolonged"),
]


def load_demo_evidence(*, stdout=None) -> None:
    organisation = Organisation.objects.filter(slug="projektteam").first()
    if organisation is None:
        return
    author = User.objects.filter(email__iexact="team@panreflex.example").first()
    dortmund = Organisation.objects.filter(slug="dortmund").first()
    for key, statement, kind, theme, phase in DEMO_INSIGHTS:
        if Insight.objects.filter(external_key=key).exists():
            continue
        insight_create(
            organisation=organisation, author=author, statement=statement, kind=kind,
            themes=Term.objects.filter(vocabulary=Vocabulary.THEME, code=theme),
            phase=Term.objects.filter(vocabulary=Vocabulary.PHASE, code=phase).first(),
            visibility="network", organisations_concerned=[dortmund] if dortmund else [],
            sources=[{"kind": "document", "label": "[Demo] Protokoll eines Nachbereitungsworkshops (fiktiv)",
                      "quote": "Demo-Zitat: sinngemäß aus einer fiktiven Diskussion."}],
            is_demo=True, external_key=key,
        )
