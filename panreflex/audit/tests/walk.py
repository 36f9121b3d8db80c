from django.contrib.contenttypes.models import ContentType

from panreflex.audit.services import audit_record
from panreflex.taxonomy.models import Term
from panreflex.testing.walk import WalkCase, expect


def cases(p):
    # Vocabulary terms belong to no organisation: only staff see their change history.
    term = Term.objects.get(vocabulary="theme", code="T2")
    audit_record(actor=p.dora, action="update", obj=term, changes={"label_en": ["a", "b"]})
    ct = ContentType.objects.get_for_model(term)
    return [
        WalkCase("audit:object_trail", kwargs={"content_type_id": ct.pk, "object_id": str(term.pk)},
                 expect=expect(default=404, dora=200)),
        WalkCase("audit:object_trail", kwargs={"content_type_id": ct.pk, "object_id": "999999"},
                 expect=expect(default=404)),
        WalkCase("audit:object_trail", kwargs={"content_type_id": 99999, "object_id": "1"},
                 expect=expect(default=404)),
    ]
