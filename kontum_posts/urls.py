from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from kontum_posts import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Switching language is allowed on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# Production hardening: the load balancer's probe, and error pages that work with the database away.
from kontum_posts import health  # noqa: E402

urlpatterns += [path("healthz", health.healthz, name="healthz")]
handler500 = "kontum_posts.health.server_error"
