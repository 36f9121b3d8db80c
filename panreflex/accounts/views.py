from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Organisation


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"memberships": selectors.memberships_of(user=request.user)})


def organisation_list(request):
    return render(request, "accounts/organisation_list.html", {"organisations": selectors.organisation_list()})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("place"), slug=slug)
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation})
