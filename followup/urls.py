from django.urls import path

from followup.web import views

app_name = "followup"

urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("add/", views.entry_add, name="entry_add"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/state/", views.entry_state, name="entry_state"),
    path("support/add/", views.support_add, name="support_add"),
    path("support/<int:pk>/end/", views.support_end_view, name="support_end"),
]
