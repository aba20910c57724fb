"""The Django admin's site: national administrators only.

The admin's querysets follow none of our scopes, so rather than scope every ModelAdmin (and every
autocomplete, inline and history view they bring), only users with national scope get in: superusers
without a profile or with one that names no province (personnel.access.may_use_django_admin).
Province administrators administer their province in the app, where every page is scoped.
"""

from __future__ import annotations

from django.contrib import admin

from personnel.access import may_use_django_admin


class NationalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return may_use_django_admin(request.user)
