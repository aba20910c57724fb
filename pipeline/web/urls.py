from django.urls import path

from pipeline.web import views

app_name = "pipeline"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/add/", views.candidate_select, name="candidate_select"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/ready/", views.candidate_ready, name="candidate_ready"),
    path("candidates/<int:pk>/drop/", views.candidate_drop, name="candidate_drop"),
    path("courses/add/", views.course_add, name="course_add"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("enrolments/<int:pk>/result/", views.enrolment_result, name="enrolment_result"),
]
