from django.urls import path

from .views import handbook as hb
from .views import insights
from .views import recommendations as recs

app_name = "evidence"
urlpatterns = [
    path("", recs.recommendation_list, name="recommendation_list"),
    path("neu/", recs.recommendation_create, name="recommendation_create"),
    path("<int:pk>/", recs.recommendation_detail, name="recommendation_detail"),
    path("<int:pk>/bearbeiten/", recs.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/evidenzkette/", recs.recommendation_chain, name="recommendation_chain"),
    path("<int:pk>/versionen/", recs.recommendation_versions, name="recommendation_versions"),
    path("<int:pk>/evidenz/", recs.recommendation_evidence_add, name="recommendation_evidence_add"),
    path("<int:pk>/evidenz/<int:link_pk>/entfernen/", recs.recommendation_evidence_remove,
         name="recommendation_evidence_remove"),
    path("<int:pk>/status/", recs.recommendation_transition, name="recommendation_transition"),
    path("<int:pk>/kommentare/", recs.recommendation_comment, name="recommendation_comment"),
    path("<int:pk>/rueckmeldung/", recs.recommendation_feedback, name="recommendation_feedback"),
    path("beitraege/", recs.contributions, name="contributions"),
    path("handbuch/", hb.handbook_list, name="handbook_list"),
    path("handbuch/neu/", hb.handbook_create, name="handbook_create"),
    path("handbuch/<int:number>/", hb.handbook_edition, name="handbook_edition"),
    path("handbuch/<int:number>/bearbeiten/", hb.handbook_edit, name="handbook_edit"),
    path("handbuch/<int:number>/gliederung/", hb.handbook_structure, name="handbook_structure"),
    path("handbuch/<int:number>/veroeffentlichen/", hb.handbook_publish, name="handbook_publish"),
    path("handbuch/<int:number>/handbuch.pdf", hb.handbook_pdf, name="handbook_pdf"),
    path("handbuch/<int:number>/aenderungen/", hb.handbook_changes, name="handbook_changes"),
    path("handbuch/<int:number>/empfehlung/<int:pk>/", hb.handbook_recommendation, name="handbook_recommendation"),
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
