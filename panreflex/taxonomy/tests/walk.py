from panreflex.taxonomy.models import Term
from panreflex.testing.walk import WalkCase, expect


def cases(p):
    theme = Term.objects.get(vocabulary="theme", code="T1")
    return [
        WalkCase("taxonomy:list", expect=expect(public=200)),
        WalkCase("taxonomy:terms", kwargs={"vocabulary": "theme"}, expect=expect(public=200)),
        WalkCase("taxonomy:terms", kwargs={"vocabulary": "nonsense"}, expect=expect(public=404)),
        WalkCase("taxonomy:term_create", kwargs={"vocabulary": "target_group"}, expect=expect(default=404, dora=200)),
        WalkCase("taxonomy:term_edit", kwargs={"vocabulary": "theme", "pk": theme.pk}, expect=expect(default=404, dora=200)),
        WalkCase("taxonomy:term_edit", kwargs={"vocabulary": "phase", "pk": theme.pk}, expect=expect(default=404, dora=404)),
    ]
