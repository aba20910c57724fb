"""The django-axes labels the admin shows, marked so our Vietnamese catalogue keeps them.

django-axes has no Vietnamese catalogue; Django looks a msgid up in every catalogue, ours included, so
translating these strings in locale/vi translates the admin's "Axes" pages. Nothing imports this module:
the strings are here for makemessages and for tests/kontum_posts/test_translations.py.
"""

from django.utils.translation import gettext_noop as _

AXES_LABELS = [
    _("access attempt"), _("access attempts"), _("access failure"), _("access failures"),
    _("access log"), _("access logs"), _("access attempt expiration"), _("access attempt expirations"),
    _("User Agent"), _("IP Address"), _("HTTP Accept"), _("Path"), _("Attempt Time"), _("Access lock out"),
    _("GET Data"), _("POST Data"), _("Failed Logins"), _("Access Attempt"), _("Expires At"),
    _("The time when access attempt expires and is no longer valid."), _("Logout Time"),
    _("Session key hash (sha256)"), _("Locked Out"), _("Form Data"), _("Meta Data"),
    _("Clean up expired attempts"), _("Not set"), _("Attempt Remaining"),
]
