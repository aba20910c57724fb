from django.urls import path

from roadmap.web import views

app_name = "roadmap"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/roadmap.<str:fmt>", views.plan_export, name="export"),
    path("plans/<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
]
