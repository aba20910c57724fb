from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class KontumPostsConfig(AppConfig):
    default = True  # the module holds other AppConfigs (axes', the admin's): "kontum_posts" means this one
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


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to national administrators only (personnel/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; "kontum_posts" itself stays KontumPostsConfig

    default_site = "personnel.admin_site.NationalAdminSite"
