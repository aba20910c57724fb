from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Personnel")

    def ready(self):
        from personnel import access_log  # noqa: F401 — connects the login signals
        from personnel.importing import previews  # noqa: F401 — connects the logout receiver
