"""Who may see and change what: one scope, used by every list, page, export and report.

A user's profile names a role and a province (empty: the whole country). A profile limited to
districts sees and changes only those districts, in every view, export and report. A superuser
without a profile has national scope. A user without a profile and not a superuser sees nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery

from communes.periods import TERM
from kontum_posts.lib.asof import today
from personnel.choices import Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    province_id: int | None  # None: every province (national scope), if `national`
    district_ids: frozenset[int]  # empty: every district of the province
    national: bool = False

    @property
    def sees_anything(self) -> bool:
        return self.national or self.province_id is not None

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.EDITOR, Role.PROVINCE_ADMIN)

    @property
    def is_admin(self) -> bool:
        """Manages users (in the app) within this scope: a province administrator, or a national one."""
        return self.role == Role.PROVINCE_ADMIN and self.sees_anything

    def district_q(self, prefix: str = "") -> Q:
        """Rows whose district (reached through `prefix`) is in scope; `prefix` ends with '__' or is ''."""
        if not self.sees_anything:
            return Q(pk__in=[])
        q = Q()
        if not self.national:
            q &= Q(**{f"{prefix}province_id": self.province_id})
        if self.district_ids:
            q &= Q(**{f"{prefix}pk__in": self.district_ids}) if not prefix else Q(**{f"{prefix}id__in": self.district_ids})
        return q

    def allows_district(self, district) -> bool:
        if not self.sees_anything:
            return False
        if not self.national and district.province_id != self.province_id:
            return False
        return not self.district_ids or district.pk in self.district_ids

    def allows_commune(self, commune) -> bool:
        return self.allows_district(commune.district)


# How each model reaches its district: the one place that knows, so no view can forget the scope.
_DISTRICT_PATHS = {
    "communes.district": "",
    "communes.commune": "district__",
    "communes.partycell": "commune__district__",
    "personnel.posting": "commune__district__",
    "personnel.partyrole": "commune__district__",
}


def scoped(queryset, user, *, on: datetime.date | None = None):
    """The rows of `queryset` the user may see (provinces, districts, communes, cells, postings, roles, officers, units).

    Officers are in scope by the day `on` (today unless given): see `_officers`. Pages about a past day
    pass it; whatever changes a record leaves it at today, so an editor changes only officers in their
    area now.
    """
    scope = scope_for(user)
    label = queryset.model._meta.label_lower
    if label == "communes.province":
        if scope.national:
            return queryset
        return queryset.filter(pk=scope.province_id) if scope.province_id else queryset.none()
    if label == "personnel.officer":
        return _officers(queryset, scope, on or today())
    if label == "personnel.unit":
        if scope.national:
            return queryset
        units = queryset.filter(province_id=scope.province_id)
        return units.filter(Q(district__isnull=True) | Q(district_id__in=scope.district_ids)) if scope.district_ids else units
    return queryset.filter(scope.district_q(_DISTRICT_PATHS[label]))


def _officers(queryset, scope: Scope, on: datetime.date):
    """Officers whose home unit is in scope, or who hold a posting in scope on the day `on`, or who
    hold no posting that day and whose last posting before it was in scope (between postings, the
    area they last served in is the one that assigns them again).

    Not "who ever served here": an officer transferred to another district is that district's to
    change and read, from the day they left; a page about an earlier day still shows them.
    """
    from personnel.models import Posting

    if scope.national:
        return queryset
    if not scope.sees_anything:
        return queryset.none()
    in_scope = Posting.objects.filter(
        scope.district_q("commune__district__"), TERM.open_on(on), officer=OuterRef("pk"))
    posted = Posting.objects.filter(TERM.open_on(on), officer=OuterRef("pk"))
    last = Posting.objects.filter(officer=OuterRef("pk"), start_date__lte=on).order_by("-start_date", "-pk")
    if scope.district_ids:
        home = Q(home_unit__district_id__in=scope.district_ids)
        last_area = Q(_last_area__in=scope.district_ids)
        last = last.values("commune__district_id")[:1]
    else:
        home = Q(home_unit__province_id=scope.province_id)
        last_area = Q(_last_area=scope.province_id)
        last = last.values("commune__province_id")[:1]
    return queryset.alias(_last_area=Subquery(last)).filter(
        home | Exists(in_scope) | (~Exists(posted) & last_area))


def scope_for(user) -> Scope:
    if not user.is_authenticated:
        return Scope(role=None, province_id=None, district_ids=frozenset())
    cached = getattr(user, "_kontum_scope", None)
    if cached is not None:
        return cached
    profile = getattr(user, "profile", None)
    if profile is None:
        scope = (
            Scope(role=Role.PROVINCE_ADMIN, province_id=None, district_ids=frozenset(), national=True)
            if user.is_superuser
            else Scope(role=None, province_id=None, district_ids=frozenset())
        )
    else:
        scope = Scope(
            role=profile.role,
            province_id=profile.province_id,
            district_ids=frozenset(profile.districts.values_list("pk", flat=True)),
            national=profile.province_id is None,
        )
    user._kontum_scope = scope
    return scope


def may_use_django_admin(user) -> bool:
    """The Django admin is for national administrators only: superusers with national scope.

    Its querysets follow no scope of ours, so a province administrator (or a superuser whose profile
    names a province) does not get in at all; they manage users in the app (/manage/users/).
    """
    return bool(user.is_active and user.is_superuser and scope_for(user).national)


def manageable_users(user):
    """The accounts `user` may administer: for a national administrator every account but superusers;
    for a province administrator the accounts of their province (limited to their districts if they
    have any). Never the user's own account (no one changes their own scope) and never a superuser."""
    from django.contrib.auth import get_user_model

    scope = scope_for(user)
    users = get_user_model().objects.filter(is_superuser=False).exclude(pk=user.pk)
    if not scope.is_admin:
        return users.none()
    if scope.national:
        return users
    users = users.filter(profile__province_id=scope.province_id)
    if scope.district_ids:
        # Every district of the account must be one of the administrator's: none (the whole province) is above.
        users = users.filter(profile__districts__isnull=False).exclude(
            profile__districts__in=_districts_outside(scope)).distinct()
    return users


def _districts_outside(scope: Scope):
    from communes.models import District

    return District.objects.exclude(pk__in=scope.district_ids)


def admin_required(view):
    """Only administrators (province or national); everyone else gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_edit(user, commune=None) -> Scope:
    """The user's scope, or PermissionDenied unless they may write (in that commune, if given)."""
    scope = scope_for(user)
    if not scope.can_edit or (commune is not None and not scope.allows_commune(commune)):
        raise PermissionDenied
    return scope


def editor_required(view):
    """Only editors and province administrators; everyone else (viewers included) gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_edit(request.user)
        return view(request, *args, **kwargs)

    return wrapper
