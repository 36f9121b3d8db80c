from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from panreflex.accounts import access
from panreflex.accounts.policy import GENERIC, loads

from .selectors import audit_for_object


@loads(content_type_id=GENERIC, object_id=GENERIC)
def object_trail(request, content_type_id: int, object_id: str):
    """The audit trail of one object, for those who may edit it (editors of its organisation, staff)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        # a generic link (content type + id): models with access rules are resolved through the policy
        obj = (access.get_visible_or_404(request.user, model, pk=object_id) if access.is_registered(model)
               else model._default_manager.get(pk=object_id))
    except (ContentType.DoesNotExist, AttributeError, ValueError, Exception) as exc:
        if isinstance(exc, Http404):
            raise
        raise Http404 from exc
    access.require(access.can_view_audit(request.user, obj))
    page = Paginator(audit_for_object(obj=obj), 50).get_page(request.GET.get("page"))
    return render(request, "audit/object_trail.html", {"object": obj, "page": page})
