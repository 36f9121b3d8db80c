from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from panreflex.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_url(context, obj):
    """URL of the object's change history, or "" when the current user may not see it."""
    request = context.get("request")
    if request is None or not access.can_view_audit(request.user, obj):
        return ""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("audit:object_trail", kwargs={"content_type_id": ct.pk, "object_id": obj.pk})
