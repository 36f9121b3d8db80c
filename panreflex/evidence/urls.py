from django.urls import path

from .views import insights

app_name = "evidence"
urlpatterns = [
    path("erkenntnisse/", insights.insight_list, name="insight_list"),
    path("erkenntnisse/neu/", insights.insight_create, name="insight_create"),
    path("erkenntnisse/<int:pk>/", insights.insight_detail, name="insight_detail"),
    path("erkenntnisse/<int:pk>/bearbeiten/", insights.insight_edit, name="insight_edit"),
    path("erkenntnisse/<int:pk>/quellen/", insights.insight_source_add, name="insight_source_add"),
    path("erkenntnisse/<int:pk>/quellen/<int:source_pk>/entfernen/", insights.insight_source_delete,
         name="insight_source_delete"),
    path("erkenntnisse/<int:pk>/zusammenfuehren/", insights.insight_merge, name="insight_merge"),
    path("erkenntnisse/<int:pk>/aufteilen/", insights.insight_split, name="insight_split"),
    path("erkenntnisse/<int:pk>/gelernt/", insights.insight_learned, name="insight_learned"),
]
