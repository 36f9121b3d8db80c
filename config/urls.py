from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("panreflex.core.urls")),
    path("konto/", include("panreflex.accounts.urls")),
    path("orte/", include("panreflex.places.urls")),
    path("vokabular/", include("panreflex.taxonomy.urls")),
    path("protokoll/", include("panreflex.audit.urls")),
    path("praxisbeispiele/", include("panreflex.search.urls")),
    path("praxisbeispiele/", include("panreflex.practices.urls")),
    path("reflexionsraeume/", include("panreflex.workshops.urls")),
    path("massnahmen/", include("panreflex.improvements.urls")),
    path("empfehlungen/", include("panreflex.evidence.urls")),
    path("befragungen/", include("panreflex.surveys.urls")),
    path("vulnerabilitaet/", include("panreflex.vulnerability.urls")),
    path("mehrebenen/", include("panreflex.multilevel.urls")),
    path("kommunikation/", include("panreflex.communication.urls")),
    path("api/v1/", include("panreflex.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
