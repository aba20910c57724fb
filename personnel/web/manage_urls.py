from django.urls import path

from personnel.web import correction_views, history_views, import_views, reorganisation_views, user_views
from personnel.web import manage_views as views

app_name = "manage"

urlpatterns = [
    path("", views.index, name="index"),
    path("officers/add/", views.officer_add, name="officer_add"),
    path("officers/<int:pk>/", views.officer_page, name="officer"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/change/", views.officer_change, name="officer_change"),
    path("postings/add/", views.posting_assign, name="posting_assign"),
    path("postings/<int:pk>/transfer/", views.posting_transfer, name="posting_transfer"),
    path("postings/<int:pk>/end/", views.posting_end, name="posting_end"),
    path("party-roles/add/", views.partyrole_appoint, name="partyrole_appoint"),
    path("party-roles/<int:pk>/end/", views.partyrole_end, name="partyrole_end"),
    path("party-cells/add/", views.partycell_establish, name="partycell_establish"),
    path("party-cells/<int:pk>/dissolve/", views.partycell_dissolve, name="partycell_dissolve"),
    path("communes/<int:code>/", views.commune_page, name="commune"),
    path("history/<str:kind>/<int:pk>/", history_views.record_history, name="history"),
    path("changes/", history_views.recent_changes, name="recent_changes"),
    path("correct/<str:kind>/<int:pk>/", correction_views.correct_record, name="correct"),
    path("corrections/", correction_views.correction_list, name="corrections"),
    path("corrections/<int:pk>/undo/", correction_views.correction_undo, name="correction_undo"),
    path("import/", import_views.import_postings, name="import"),
    path("import/template.<str:fmt>", import_views.import_template, name="import_template"),
    path("users/", user_views.user_list, name="users"),
    path("users/add/", user_views.user_add, name="user_add"),
    path("users/<int:pk>/edit/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
    path("access-log/", user_views.access_log, name="access_log"),
    path("reorganisation/", reorganisation_views.reorganisation_page, name="reorganisation"),
    path("reorganisation/<int:pk>/undo/", reorganisation_views.reorganisation_undo, name="reorganisation_undo"),
    path("reorganisation/changes/", reorganisation_views.record_changes_page, name="record_changes"),
]
