from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from panreflex.accounts.policy import loads

from . import selectors
from .datasources import DATASETS


@loads()
def home(request):
    return render(
        request,
        "core/home.html",
        {"feed": selectors.whats_new(viewer=request.user, limit=8), "stats": selectors.platform_stats()},
    )


@login_required
@loads()
def dashboard(request):
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": selectors.dashboard_panels(user=request.user),
            "feed": selectors.whats_new(viewer=request.user, limit=10),
            "memberships": request.user.memberships.select_related("organisation"),
        },
    )


@loads()
def datasources(request):
    return render(request, "core/datasources.html", {"datasets": DATASETS.values()})


@loads()
def accessibility(request):
    return render(request, "core/accessibility.html")


@loads()
def imprint(request):
    return render(request, "core/imprint.html")
