from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("staedte/neu/", views.city_create, name="city_create"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/grenze.geojson", views.place_boundary, name="boundary"),
]
