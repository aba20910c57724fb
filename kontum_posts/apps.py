from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class KontumPostsConfig(AppConfig):
    # This module holds several AppConfigs (axes', django-otp's): without `default`, Django picks none of
    # them for "kontum_posts" and ready() below never ran (the admin's forms went unhardened).
    default = True
    name = "kontum_posts"
    verbose_name = "Kontum Posts"

    def ready(self):
        # The admin is a data-entry path too: its forms get the same input hygiene as ours.
        from django.contrib import admin

        from kontum_posts.lib.clean import harden_admin_forms

        harden_admin_forms(admin.site, app_labels={"communes", "personnel", "auth"})


class AxesConfig(AxesAppConfig):
    """django-axes (login lock-out) under a name the admin can show in Vietnamese; axes ships no vi catalogue,
    so its labels are translated in ours (kontum_posts/admin_labels.py keeps them marked)."""

    verbose_name = _("Login attempts")


class OtpTotpConfig(AppConfig):
    """django-otp's authenticator devices, under a name the admin shows in Vietnamese (where a lost phone is reset)."""

    name = "django_otp.plugins.otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Two-factor sign-in: authenticator apps")


class OtpStaticConfig(AppConfig):
    """django-otp's recovery codes, likewise."""

    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Two-factor sign-in: recovery codes")


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to national administrators only (personnel/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; "kontum_posts" itself stays KontumPostsConfig

    default_site = "personnel.admin_site.NationalAdminSite"
