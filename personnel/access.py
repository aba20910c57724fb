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
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from communes.models import in_districts_q, in_provinces_q
from communes.periods import TERM
from kontum_posts.lib.asof import today
from personnel.choices import Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    province_id: int | None  # None: every province (national scope), if `national`
    district_ids: frozenset[int]  # empty: every district of the province
    national: bool = False
    # The province and the provinces it came from (Quảng Ngãi's users see old Kon Tum's history).
    province_ids: frozenset[int] = frozenset()

    @property
    def provinces(self) -> frozenset[int]:
        return self.province_ids or (frozenset({self.province_id}) if self.province_id is not None else frozenset())

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

    def district_q(self) -> Q:
        """Districts in scope."""
        if not self.sees_anything:
            return Q(pk__in=[])
        q = Q() if self.national else Q(province_id__in=self.provinces)
        return q & Q(pk__in=self.district_ids) if self.district_ids else q

    def commune_q(self, prefix: str = "") -> Q:
        """Rows whose commune (reached through `prefix`, '' or ending with '__') is in scope: of the user's
        districts, else of their provinces, as communes.models.area_q() has an area's communes (since
        01/07/2025 a commune counts in the district, and so the province, its code came from)."""
        if not self.sees_anything:
            return Q(pk__in=[])
        if self.district_ids:
            return in_districts_q(self.district_ids, prefix=prefix)
        return Q() if self.national else in_provinces_q(self.provinces, prefix=prefix)

    def allows_district(self, district) -> bool:
        if not self.sees_anything:
            return False
        if not self.national and district.province_id not in self.provinces:
            return False
        return not self.district_ids or district.pk in self.district_ids

    def allows_commune(self, commune) -> bool:
        """commune_q() on one commune."""
        if not self.sees_anything:
            return False
        if self.district_ids:
            return commune.area_district_id in self.district_ids
        if self.national or commune.province_id in self.provinces:
            return True
        return commune.district_id is None and commune.former_district is not None and (
            commune.former_district.province_id in self.provinces)


# How each model reaches its commune: the one place that knows, so no view can forget the scope.
_COMMUNE_PATHS = {
    "communes.commune": "",
    "communes.partycell": "commune__",
    "personnel.posting": "commune__",
    "personnel.partyrole": "commune__",
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
        return queryset.filter(pk__in=scope.provinces) if scope.province_id else queryset.none()
    if label == "communes.district":
        return queryset.filter(scope.district_q())
    if label == "personnel.officer":
        return _officers(queryset, scope, on or today())
    if label == "personnel.unit":
        if scope.national:
            return queryset
        units = queryset.filter(province_id__in=scope.provinces)
        return units.filter(Q(district__isnull=True) | Q(district_id__in=scope.district_ids)) if scope.district_ids else units
    return queryset.filter(scope.commune_q(_COMMUNE_PATHS[label]))


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
    in_scope = Posting.objects.filter(scope.commune_q("commune__"), TERM.open_on(on), officer=OuterRef("pk"))
    posted = Posting.objects.filter(TERM.open_on(on), officer=OuterRef("pk"))
    last = Posting.objects.filter(officer=OuterRef("pk"), start_date__lte=on).order_by("-start_date", "-pk")
    if scope.district_ids:
        home = Q(home_unit__district_id__in=scope.district_ids)
        last_area = Q(_last_area__in=scope.district_ids)
        last = last.values(area_district=Coalesce("commune__district_id", "commune__former_district_id"))[:1]
    else:
        home = Q(home_unit__province_id__in=scope.provinces)
        last_area = Q(_last_area__in=scope.provinces)
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
        provinces, districts = _areas_of(profile)
        scope = Scope(role=profile.role, province_id=profile.province_id, district_ids=districts,
                      national=profile.province_id is None, province_ids=provinces)
    user._kontum_scope = scope
    return scope


def _areas_of(profile) -> tuple[frozenset[int], frozenset[int]]:
    """The profile's province with those it was merged from, and its districts: one query (a UNION ALL).
    The lineage is followed one reorganisation back, the one there has been."""
    from communes.models import Province

    districts = profile.districts.order_by().annotate(area_kind=Value("d")).values_list("area_kind", "pk")
    if profile.province_id is None:
        return frozenset(), frozenset(pk for _kind, pk in districts)
    provinces = Province.objects.filter(Q(pk=profile.province_id) | Q(successor_links__successor_id=profile.province_id))
    rows = provinces.order_by().annotate(area_kind=Value("p")).values_list("area_kind", "pk").union(districts, all=True)
    found = {"p": set(), "d": set()}
    for kind, pk in rows:
        found[kind].add(pk)
    return frozenset(found["p"]), frozenset(found["d"])


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
