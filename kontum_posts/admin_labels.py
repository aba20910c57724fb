"""Admin labels that no Vietnamese catalogue translates, marked so ours keeps them.

django-axes has no Vietnamese catalogue, and Django's own vi catalogue of the admin lacks a few newer
strings; Django looks a msgid up in every catalogue, ours included, so translating these strings in
locale/vi translates them in the admin. Nothing imports this module:
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

DJANGO_ADMIN_LABELS = [_("Show counts"), _("Hide counts")]
