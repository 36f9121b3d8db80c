from django.urls import path

from . import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.vocabulary_list, name="list"),
    path("<slug:vocabulary>/", views.term_list, name="terms"),
    path("<slug:vocabulary>/neu/", views.term_create, name="term_create"),
    path("<slug:vocabulary>/<int:pk>/", views.term_edit, name="term_edit"),
]
