from django.apps import AppConfig


class KontumPostsConfig(AppConfig):
    name = "kontum_posts"
    verbose_name = "Kontum Posts"

    def ready(self):
        # The admin is a data-entry path too: its forms get the same input hygiene as ours.
        from django.contrib import admin

        from kontum_posts.lib.clean import harden_admin_forms

        harden_admin_forms(admin.site, app_labels={"communes", "personnel", "auth"})
