"""Filters for the officer, posting and Party-role lists (django-filter).

Choices of districts, communes and units come from the user's scope, so a filter cannot name a
place the user may not see. `as_of` is the day "in post", "open" and "held" are read on.
"""

from __future__ import annotations

import datetime

import django_filters as filters
from django import forms
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import datacache
from communes.choices import CommuneKind
from communes.models import Commune, District, Province, in_districts_q, in_provinces_q
from communes.periods import TERM
from communes.rules import describe_life
from datacache import topics
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.fastselect import FastSelect
from kontum_posts.lib.params import code_param
from kontum_posts.lib.vntext import fold
from personnel.access import scope_for, scoped
from personnel.choices import Gender, PartyRoleKind, Position, Rank
from personnel.coverage import GAP_LABELS, covered_filter, gap_filter, held_on
from personnel.listings import postings_held
from personnel.models import Officer, PartyRole, Posting, Unit

YES_NO = (("yes", _("yes")), ("no", _("no")))
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def place_choices(user, *, as_of: datetime.date, province: str = "", district: str = "") -> dict:
    """The provinces (national users), districts and communes a user's filters offer, and which units
    (unit_choices()).

    Narrowed to what the user may see and has chosen: a national user picks a province (or a district,
    whose province is then implied) before districts, communes and units are offered, so a form never
    lists the country's 10,000 communes. Communes are named as on `as_of`, like the rows of the list.
    Cached under the data versions of the units alone (datacache.topics): a posting written leaves them cached.
    """
    scope = scope_for(user)
    if not scope.national and len(scope.provinces) < 2:
        province = ""  # only users whose scope holds several provinces choose one
    area = "national" if scope.national else f"{scope.province_id}:{','.join(map(str, sorted(scope.district_ids)))}"
    if not scope.national:
        area_of = {"provinces": scope.provinces}
    else:  # a national user's chosen province, else the whole country
        area_of = {"codes": [int(province)]} if province.isdigit() and not district else {}
    return datacache.cached(
        f"place-choices:{area}:{province}:{district}:{as_of.isoformat()}:{get_language()}",  # labels say units' lives
        lambda: _place_choices(user, scope, as_of, province, district), topics=(topics.UNITS,), **area_of,
    )


def _place_choices(user, scope, as_of: datetime.date, province: str, district: str) -> dict:
    districts = scoped(District.objects.offered_on(as_of, district), user)
    communes = scoped(Commune.objects.existing_on(as_of), user)
    units_of = ""  # the units offered: the user's ("") or, once chosen, the province's (its code); None: none yet
    # A national user picks a province; so does one whose province was merged from several, for a day before.
    provinces = []
    if scope.national or len(scope.provinces) > 1:
        if not province and district:  # a district implies its province
            province = str(District.objects.filter(pk__in=District.objects.last_bearer(int(district), as_of))
                           .values_list("province__code", flat=True).first() or "")
        provinces = _named_on(scoped(Province.objects.offered_on(as_of, province), user), as_of)
    if not scope.national and len(provinces) < 2:
        provinces = []
    if provinces:
        if province:
            # The province's area on the day (a former province's: the communes that came from its districts).
            area = in_provinces_q(Province.objects.last_bearer(int(province), as_of))
            districts = districts.filter(province__code=int(province))
            communes = communes.filter(area)
            units_of = province
        elif scope.national:
            districts, communes, units_of = districts.none(), communes.none(), None
    # Since 01/07/2025 no district exists; lists offer the former districts of the day's communes.
    districts = District.objects.filter(
        Q(pk__in=districts.values("pk")) | Q(pk__in=communes.filter(district__isnull=True).values("former_district_id")))
    district_choices = _named_on(districts, as_of)
    if district and int(district) in {code for code, _name in district_choices}:
        communes = communes.filter(in_districts_q(District.objects.last_bearer(int(district), as_of)))
    commune_rows = list(communes.with_state_on(as_of).order_by("sort_key_on", "district__sort_key")
                        .values_list("code", "name_on", "district__name"))
    # Two communes of the list may share a name, or nearly (Xã Đắk Long, Xã Đăk Long): name their district.
    seen: dict[str, int] = {}
    for name in (row[1] for row in commune_rows):
        seen[fold(name)] = seen.get(fold(name), 0) + 1
    commune_choices = [(code, f"{name} ({district_name})" if seen[fold(name)] > 1 else name)
                       for code, name, district_name in commune_rows]
    return {
        "national": scope.national,
        "pick_province": bool(provinces),
        "province": province,
        "provinces": provinces,
        "districts": district_choices,
        "communes": commune_choices,
        "units_of": units_of,
    }


def unit_choices(user, places: dict) -> list[tuple[int, str]]:
    """The home units a list offers (`places`: place_choices()'s): the user's, of the province chosen. Not cached
    with the places: a unit's row is staffing data (datacache.topics), which the places are not filed under."""
    if places["units_of"] is None:
        return []
    units = scoped(Unit.objects.all(), user)
    if places["units_of"]:
        units = units.filter(province__code=int(places["units_of"]))
    return list(units.order_by("kind", "name").values_list("pk", "name"))


def ethnicity_choices(user) -> list[tuple[str, str]]:
    """The ethnicities of the officers the user may see, for the officer list's filter; a national user's, the
    country's, cached under the whole country's staffing numbers (an officer written anywhere: read again)."""
    values = datacache.cached("every-ethnicity", _every_ethnicity, topics=(topics.STAFFING,)) if scope_for(user).national else (
        scoped(Officer.objects.all(), user).order_by("ethnicity").values_list("ethnicity", flat=True).distinct())
    return [(e, e) for e in values if e]


def _every_ethnicity() -> list[str]:
    """Every officer's ethnicity, once each and in order, as DISTINCT gives them: by a loose index scan (one probe
    of the index officer_ethnicity per value, some tens), where DISTINCT reads the country's 60,000 officers
    (20 ms on national data, each time a write in any province recomputes a national user's officer list)."""
    database = connections[router.db_for_read(Officer)]
    table = database.ops.quote_name(Officer._meta.db_table)
    sql = (f"WITH RECURSIVE e(v) AS (SELECT min(ethnicity) FROM {table} UNION ALL "  # noqa: S608 — the table's name only
           f"SELECT (SELECT min(ethnicity) FROM {table} WHERE ethnicity > e.v) FROM e WHERE e.v IS NOT NULL) "
           "SELECT v FROM e WHERE v IS NOT NULL")
    with database.cursor() as cursor:
        cursor.execute(sql)
        return [v for (v,) in cursor.fetchall()]


def _named_on(units, day: datetime.date) -> list[tuple[int, str]]:
    """(code, name) of provinces or districts, a unit that did not exist on `day` named with its life."""
    rows = units.order_by("sort_key").only("code", "name", "established_on", "abolished_on")
    return [(u.code, u.name if u.exists_on(day) else f"{u.name} ({describe_life(u)})") for u in rows]


class _FastSelects:
    """Choices offered through FastSelect: hundreds of communes, districts, units and ethnicities, without a
    template per option."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if type(f) in (filters.ChoiceFilter, filters.ModelChoiceFilter):
                f.extra.setdefault("widget", FastSelect)


class _BaseFilterSet(_FastSelects, filters.FilterSet):
    """`?as_of=` (set by the as-of form in the page header) is the day status filters read."""

    @property
    def as_of_day(self):
        return request_as_of(self.request).day


class _DayOrAllTime:
    """A list of dated rows shows, by default, the rows of the as-of day: those already there that day
    ("on the day"); `?period=all` shows every row, later ones too ("all time"). Not a filter of the form
    but a choice the page shows beside its title (listing.period_links). Each list says in
    `on_the_day()` which rows were there on a day and in `NOTES` how it words that."""

    DAY, ALL = "day", "all"
    PERIODS = ((DAY, _("On %(day)s")), (ALL, _("All time")))
    NOTES: dict = {}

    @property
    def period(self) -> str:
        return self.ALL if (self.data or {}).get("period") == self.ALL else self.DAY

    def period_note(self, day: datetime.date) -> str:
        return self.NOTES[self.period] % {"day": f"{day:%d/%m/%Y}"}

    def on_the_day(self, queryset, day: datetime.date):
        raise NotImplementedError

    @property
    def qs(self):
        # django-filter applies no filter to an unbound form (a bare /officers/): the day's rows are the
        # default, so they are applied here, after the form's filters.
        if not hasattr(self, "_period_qs"):
            qs = super().qs
            self._period_qs = self.on_the_day(qs, self.as_of_day) if self.period == self.DAY else qs
        return self._period_qs


def _area_q(name: str, value: str, day: datetime.date) -> Q:
    """The communes a place filter (province, district or commune, by its code) keeps on `day`."""
    if name == "province":
        return in_provinces_q(Province.objects.last_bearer(int(value), day))
    if name == "district":
        return in_districts_q(District.objects.last_bearer(int(value), day))
    return Q(code=int(value))


class _PlaceFilterSet(_BaseFilterSet):
    """Province (national users only), district and commune, offered from place_choices() and matched
    by their codes."""

    province = filters.ChoiceFilter(label=_("Province"), method="filter_province")
    district = filters.ChoiceFilter(label=_("District"), method="filter_district")
    commune = filters.ChoiceFilter(label=_("Commune"), method="filter_commune")

    def __init__(self, data=None, *args, request=None, **kwargs):
        self.places = place_choices(request.user, as_of=request_as_of(request).day, province=code_param(data, "province"),
                                    district=code_param(data, "district"))
        if (self.places["pick_province"] and self.places["province"] and not data.get("province")
                and data.get("district") in {str(code) for code, _label in self.places["districts"]}):
            data = data.copy()  # a district chosen alone (one the form accepts) implies its province: shown chosen
            data["province"] = self.places["province"]  # (not applied: filter_queryset)
            self.implied_province = True
        super().__init__(data, *args, request=request, **kwargs)
        if self.places["pick_province"]:
            self._offer("province", self.places["provinces"])
            if self.places["national"] and not self.places["province"]:
                self.filters["district"].extra["empty_label"] = _("choose a province first")
        else:
            del self.filters["province"]
        self._offer("district", self.places["districts"])
        if "commune" in self.filters:
            self._offer("commune", self.places["communes"])
        if "q" in self.filters:  # the search box first, then the places
            self.filters = type(self.filters)(sorted(self.filters.items(), key=lambda item: item[0] != "q"))

    def _offer(self, name: str, choices) -> None:
        self.filters[name].extra["choices"] = [(str(value), label) for value, label in choices]

    PLACES = ("commune", "district", "province")

    @classmethod
    def narrowed_to(cls, request) -> tuple[set[int], set[int], tuple] | None:
        """For a national user's list narrowed to a place (a valid choice of commune, district or province, which
        the rows are then filtered by, as the form validates it): the provinces its rows can come from, the
        province codes whose units it offers, and what else its body shows that is national rather than theirs
        (the choices offered), for the key of the body cached under those provinces (listing.table_page). None when
        no place filter applies: the rows are the country's."""
        data = request.GET
        day = request_as_of(request).day
        places = place_choices(request.user, as_of=day, province=code_param(data, "province"),
                               district=code_param(data, "district"))
        for name in cls.PLACES:
            value = data.get(name)
            if value and value in {str(code) for code, _label in places.get(f"{name}s") or ()}:
                provinces = datacache.cached(f"area-provinces:{name}:{value}:{day.isoformat()}", lambda n=name, v=value: set(
                    Commune.objects.filter(_area_q(n, v, day)).values_list("province_id", flat=True).distinct()),
                    topics=(topics.UNITS,))
                units_of = {int(places["units_of"])} if places["units_of"] else set()
                return provinces, units_of, (places, *cls.national_choices(request))
        return None

    @classmethod
    def national_choices(cls, request) -> tuple:
        """The choices a national user is offered from the whole country's data, whatever place they chose."""
        return ()

    # How a row reaches its commune (postings and roles: directly). A province or district is its area
    # on the day: a former one's is the communes that came from it.
    #
    # The area's communes are read first (one small query) and the rows matched by commune id: given the
    # area as a subquery, PostgreSQL cannot tell it holds a few dozen communes of 13,000 and walks the
    # country's rows in the page's order, testing each (a district's officers: 650 ms instead of 10).
    def _area_communes(self, name: str, value: str) -> list[int]:
        """The ids of the area's communes on the day: units alone, cached under their numbers (datacache.topics), so
        a list computed again after a posting written reads its rows, not its area, again."""
        day = self.as_of_day
        return datacache.cached(f"area-communes:{name}:{value}:{day.isoformat()}", lambda: list(
            Commune.objects.filter(_area_q(name, value, day)).values_list("pk", flat=True)), topics=(topics.UNITS,))

    COMMUNE = "commune_id"  # the rows' commune

    def _area(self, name: str, value: str) -> Q:
        return Q(**{f"{self.COMMUNE}__in": self._area_communes(name, value)})

    implied_province = False  # the province shown chosen because the district chosen alone implies it

    def filter_queryset(self, queryset):
        """The form's filters, the province left out when only implied (shown, not a filter: the district's keeps
        the rows; applied, the officer list read the province's officers in post too). The form still names it."""
        province = self.form.cleaned_data.pop("province", None) if self.implied_province else None
        try:
            return super().filter_queryset(queryset)
        finally:
            if province is not None:
                self.form.cleaned_data["province"] = province

    def filter_province(self, queryset, name, value):
        return queryset.filter(self._area(name, value))

    def filter_district(self, queryset, name, value):
        return queryset.filter(self._area(name, value))

    def filter_commune(self, queryset, name, value):
        return queryset.filter(self._area(name, value))


class OfficerFilterSet(_DayOrAllTime, _PlaceFilterSet):
    NOTES = {
        _DayOrAllTime.DAY: _("On the day: officers posted on or before %(day)s (in post then, or before); "
                             "officers first posted later are under “All time”."),
        _DayOrAllTime.ALL: _("All time: every officer on record, including those first posted after %(day)s "
                             "or not posted yet."),
    }
    q = filters.CharFilter(label=_("Name or service number"), method="filter_q")
    unit = filters.ChoiceFilter(label=_("Home unit"), method="filter_unit")
    rank = filters.ChoiceFilter(label=_("Rank"), choices=Rank.choices, field_name="rank_on")
    position = filters.ChoiceFilter(label=_("Position"), choices=Position.choices, method="filter_position")
    ethnicity = filters.ChoiceFilter(label=_("Ethnicity"), choices=())
    gender = filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    party = filters.ChoiceFilter(label=_("Party member"), choices=YES_NO, method="filter_party")
    in_post = filters.ChoiceFilter(label=_("In post"), choices=YES_NO, method="filter_in_post")

    class Meta:
        model = Officer
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer("unit", unit_choices(self.request.user, self.places))
        self._offer("ethnicity", ethnicity_choices(self.request.user))

    @classmethod
    def national_choices(cls, request) -> tuple:
        return (ethnicity_choices(request.user),)  # a national user's: the country's officers' (one index probe each)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def on_the_day(self, queryset, day):
        # Any posting of theirs, in the user's area or not: an officer of this province posted elsewhere
        # that day was on record then too (the list shows them, not in post here).
        return queryset.filter(Exists(Posting.objects.filter(officer=OuterRef("pk"), start_date__lte=day)))

    # These filters start from the postings held on the day (indexed by commune and dates) rather
    # than from the per-officer annotations, which would be computed for every officer in the
    # country before filtering: 1.5 s instead of milliseconds on national data.
    # The officers are read first too, for the reason _area_communes() gives: an area's officers in post
    # are some hundreds; more than HELD_IDS (a national user's position filter) stay a subquery.
    HELD_IDS = 5000

    def _held_on_day(self, *area, **where):
        held = (postings_held(user=self.request.user, as_of=self.as_of_day).filter(*area, **where)
                .values_list("officer_id", flat=True).distinct().order_by())
        ids = list(held[:self.HELD_IDS + 1])
        return ids if len(ids) <= self.HELD_IDS else held

    def filter_province(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(commune__in=self._area_communes(name, value)))

    def filter_district(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(commune__in=self._area_communes(name, value)))

    def filter_commune(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(commune__in=self._area_communes(name, value)))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(home_unit_on_id=int(value))

    def filter_position(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(position=value))

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_member_on=(value == "yes"))

    def filter_in_post(self, queryset, name, value):
        return queryset.filter(in_post=(value == "yes"))


class _PeriodFilterSet(_DayOrAllTime, _PlaceFilterSet):
    """Postings and Party roles: `status` is read on the as-of day (each list words its choices); on the
    day, the rows that had started by then (open or ended)."""

    def on_the_day(self, queryset, day):
        return queryset.filter(start_date__lte=day)

    def filter_status(self, queryset, name, value):
        day = self.as_of_day
        if value == "open":
            return queryset.filter(held_on(day))
        return queryset.filter(TERM.ended_before(day))


class PostingFilterSet(_PeriodFilterSet):
    NOTES = {
        _DayOrAllTime.DAY: _("On the day: postings started on or before %(day)s (open then, or ended); "
                             "later postings are under “All time”."),
        _DayOrAllTime.ALL: _("All time: every posting, including those started after %(day)s."),
    }
    q = filters.CharFilter(label=_("Officer"), method="filter_q")
    position = filters.ChoiceFilter(label=_("Position"), choices=Position.choices)
    status = filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=(("open", _("Open on the as-of day")), ("ended", _("Ended before the as-of day"))),
    )
    started_from = filters.DateFilter(label=_("Started from"), field_name="start_date", lookup_expr="gte", widget=DATE_WIDGET)
    started_until = filters.DateFilter(label=_("Started until"), field_name="start_date", lookup_expr="lte", widget=DATE_WIDGET)

    class Meta:
        model = Posting
        fields = ()

    def filter_q(self, queryset, name, value):
        return queryset.filter(officer__in=Officer.objects.search(value))


class PartyRoleFilterSet(_PeriodFilterSet):
    NOTES = {
        _DayOrAllTime.DAY: _("On the day: Party roles started on or before %(day)s (held then, or ended); "
                             "later roles are under “All time”."),
        _DayOrAllTime.ALL: _("All time: every Party role, including those started after %(day)s."),
    }
    q = filters.CharFilter(label=_("Holder"), method="filter_q")
    role = filters.ChoiceFilter(label=_("Role"), choices=PartyRoleKind.choices)
    holder = filters.ChoiceFilter(
        label=_("Held by"), method="filter_holder",
        choices=(("police", _("a police officer")), ("other", _("someone outside the police"))),
    )
    status = filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=(("open", _("Held on the as-of day")), ("ended", _("Ended before the as-of day"))),
    )

    class Meta:
        model = PartyRole
        fields = ()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(officer__in=Officer.objects.search(value)) | Q(holder_name__icontains=value.strip()))

    def filter_holder(self, queryset, name, value):
        return queryset.filter(officer__isnull=(value == "other"))



class CommuneFilterSet(_PlaceFilterSet):
    """The commune list's filters: its places offered from place_choices() as the other lists' (cached under the
    units' numbers: a posting written recomputes no choice), each keeping the communes of its area on the day."""

    PLACES = ("district", "province")
    COMMUNE = "pk"
    commune = None  # the rows are communes: no commune to choose
    q = filters.CharFilter(label=_("Name"), method="filter_q")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=CommuneKind.choices, field_name="kind_on")
    in_plan = filters.ChoiceFilter(label=_("In the plan"), choices=YES_NO, method="filter_flag")
    covered = filters.ChoiceFilter(label=_("Covered"), choices=YES_NO, method="filter_covered")
    has_cell = filters.ChoiceFilter(label=_("Party cell"), choices=YES_NO, method="filter_flag")
    police_secretary = filters.ChoiceFilter(label=_("Police secretary"), choices=YES_NO, method="filter_police_secretary")
    gap = filters.ChoiceFilter(label=_("Gap"), choices=list(GAP_LABELS.items()), method="filter_gap")

    class Meta:
        model = Commune
        fields = ()

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_name__contains=fold(value))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_covered(self, queryset, name, value):
        return queryset.filter(covered_filter(value == "yes"))

    def filter_police_secretary(self, queryset, name, value):
        yes = Q(has_cell=True, has_police_secretary=True)
        return queryset.filter(yes) if value == "yes" else queryset.filter(has_cell=True).exclude(yes)

    def filter_gap(self, queryset, name, value):
        return queryset.filter(gap_filter(value, plan=self.plan))
