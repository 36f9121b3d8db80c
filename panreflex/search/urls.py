from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.practice_search, name="practices"),
    path("synonyme/", views.synonym_list, name="synonyms"),
    path("synonyme/hinzufuegen/", views.synonym_create, name="synonym_create"),
    path("synonyme/<int:pk>/bearbeiten/", views.synonym_edit, name="synonym_edit"),
    path("synonyme/<int:pk>/loeschen/", views.synonym_delete, name="synonym_delete"),
]
