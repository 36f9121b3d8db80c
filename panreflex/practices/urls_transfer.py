"""Import and export of practice examples (mounted under /praxisbeispiele/ in namespace "practices")."""

from django.urls import path

from . import views_transfer

urlpatterns = [
    path("import/", views_transfer.practice_import, name="import"),
    path("export/", views_transfer.practice_export, name="export"),
]
