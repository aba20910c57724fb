from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from dashboards import views
from dashboards.national import national_dashboard
from kontum_posts import health
from personnel.web import two_factor_views

# The admin is titled with the app, not "Django administration" ("Trang quản trị cho Django").
admin.site.site_header = "Kontum Posts"
admin.site.site_title = _("Kontum Posts administration")
admin.site.index_title = _("Administration")
# The admin is entered through the app's login page, and so with the one-time code where one is due.
admin.site.login = two_factor_views.admin_sign_in

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/login/", two_factor_views.SignInView.as_view(), name="login"),
    path("accounts/two-factor/", two_factor_views.two_factor_account, name="two_factor_account"),
    path("accounts/two-factor/code/", two_factor_views.two_factor_step, name="two_factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Switching language is allowed on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("search/", views.search, name="search"),
    path("communes/", views.commune_list, name="commune_list"),
    path("communes/<int:code>/", views.commune_detail, name="commune_detail"),
    path("districts/<int:code>/", views.district_detail, name="district_detail"),
    path("", include("personnel.web.urls")),
    path("reports/", include("reports.urls")),
    path("follow-up/", include("followup.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("manage/", include("personnel.web.manage_urls")),
    path("national/", national_dashboard, name="national_dashboard"),
    path("pipeline/", include("pipeline.web.urls")),
    path("facilities/", include("facilities.web.urls")),
    # For the load balancer: no login, says only whether the database answers.
    path("healthz", health.healthz, name="healthz"),
]

# Error pages that render with the database away (503 then, 500 otherwise).
handler500 = "kontum_posts.health.server_error"
