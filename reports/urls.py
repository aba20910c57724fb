from django.urls import path

from reports import issued_views, views

app_name = "reports"

urlpatterns = [
    path("pilot-review.pdf", views.pilot_review_pdf, name="pilot_review_pdf"),
    path("pilot-review.xlsx", views.pilot_review_xlsx, name="pilot_review_xlsx"),
    path("district-roster.pdf", views.district_roster_pdf, name="district_roster_pdf"),
    path("issued/", issued_views.register, name="register"),
    path("issued/new/", issued_views.issue_report, name="issue"),
    path("issued/<int:pk>/", issued_views.issued_detail, name="issued_detail"),
    path("issued/<int:pk>.pdf", issued_views.issued_pdf, name="issued_pdf"),
]
