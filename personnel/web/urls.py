from django.urls import path

from personnel.web import views

urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("postings/", views.posting_list, name="posting_list"),
    path("party-roles/", views.partyrole_list, name="partyrole_list"),
]
