from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("pilot-review.pdf", views.pilot_review_pdf, name="pilot_review_pdf"),
    path("pilot-review.xlsx", views.pilot_review_xlsx, name="pilot_review_xlsx"),
    path("district-roster.pdf", views.district_roster_pdf, name="district_roster_pdf"),
]
