"""Core URLs of practice examples (namespace "practices", mounted under /praxisbeispiele/)."""

from django.urls import path

from .views import detail, edit, lists, overview

urlpatterns = [
    path("neu/", edit.practice_create_view, name="create"),
    path("pruefungen/", edit.review_desk, name="reviews"),
    path("merkliste/", lists.watchlist_view, name="watchlist"),
    path("vergleich/", lists.compare_view, name="compare"),
    path("karte/", overview.practice_map, name="map"),
    path("zeitleiste/", overview.practice_timeline, name="timeline"),
    path("sammlungen/", lists.collection_list, name="collections"),
    path("sammlungen/neu/", lists.collection_create_view, name="collection_create"),
    path("sammlungen/<int:pk>/", lists.collection_detail, name="collection"),
    path("sammlungen/<int:pk>/bearbeiten/", lists.collection_edit, name="collection_edit"),
    path("sammlungen/<int:pk>/loeschen/", lists.collection_delete_view, name="collection_delete"),
    path("sammlungen/<int:pk>/neuer-link/", lists.collection_new_link_view, name="collection_new_link"),
    path("sammlungen/<int:pk>/pdf/", lists.collection_pdf, name="collection_pdf"),
    path("sammlungen/eintrag/<int:item_id>/entfernen/", lists.collection_item_remove_view, name="collection_item_remove"),
    path("sammlungen/eintrag/<int:item_id>/verschieben/", lists.collection_item_move_view, name="collection_item_move"),
    path("geteilt/<str:token>/", lists.collection_shared, name="collection_shared"),
    path("geteilt/<str:token>/pdf/", lists.collection_shared_pdf, name="collection_shared_pdf"),
    path("<int:pk>/", detail.practice_detail, name="detail"),
    path("<int:pk>/steckbrief.pdf", detail.practice_pdf, name="pdf"),
    path("<int:pk>/versionen/", detail.practice_versions, name="versions"),
    path("<int:pk>/versionen/vergleich/", detail.practice_diff, name="diff"),
    path("<int:pk>/bearbeiten/", edit.practice_edit_view, name="edit"),
    path("<int:pk>/loeschen/", edit.practice_delete_view, name="delete"),
    path("<int:pk>/status/<slug:action>/", edit.practice_transition, name="transition"),
    path("<int:pk>/pruefen/", edit.practice_review_view, name="review"),
    path("<int:pk>/anhaenge/neu/", edit.attachment_upload, name="attachment_upload"),
    path("<int:pk>/anhaenge/<int:attachment_id>/", detail.attachment_download, name="attachment"),
    path("<int:pk>/anhaenge/<int:attachment_id>/loeschen/", edit.attachment_delete_view, name="attachment_delete"),
    path("<int:pk>/merken/", lists.watch_toggle, name="watch"),
    path("<int:pk>/sammlung/", lists.collection_add, name="collection_add"),
]
