"""Pages that read both apps: the province dashboard, district and commune pages, the commune list
and the global search. Views parse the request, call selectors and render."""

from __future__ import annotations

import datetime
import hashlib
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import datacache
from communes.lookup import former_name_hits, province_links, province_of_scope, province_of_the_day, unit_on
from communes.models import Commune, CommuneChange, CommuneLineage, District, PartyCell, Province, area_q
from communes.rules import describe_life
from dashboards.charts import rollout_chart
from dashboards.district_rows import district_rows_html
from dashboards.gap_rows import gap_rows_html
from datacache import topics
from facilities.gaps import facility_gap_labels
from facilities.selectors import commune_facilities, facility_gaps_of
from followup.selectors import commune_entries
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.fasttable import escaped
from kontum_posts.lib.params import code_param, is_ascii_int
from kontum_posts.lib.vntext import fold
from personnel.access import scope_for, scoped
from personnel.coverage import (
    area_staffing,
    commune_gaps,
    communes_with_staffing,
    figures_of,
    gap_labels,
    plan_norm,
    rollout_series,
    staffing_timeline,
)
from personnel.listings import commune_named_on, officer_rows, postings_held
from personnel.models import PartyRole, Posting
from personnel.officer_history import attributes_on
from personnel.plans import plan_for
from personnel.support import support_in_area, support_of_commune
from personnel.web.filters import CommuneFilterSet
from personnel.web.listing import table_page, viewer_key
from personnel.web.tables import CommuneTable
from pipeline.selectors import ready_for_gap, ready_waiting_counts
from roadmap.chart import roadmap_charts
from roadmap.progress import milestones_of, plan_roadmap

KON_TUM = 62


# ---- permission helpers ----------------------------------------------------------------------

def _province_for(request, scope, as_of: datetime.date) -> Province | None:
    """The province a dashboard shows: the user's own (or, before it existed, one it came from); a user
    picks another of their scope with ?province=CODE (the province bearing that code on the day)."""
    if not scope.sees_anything:
        return None
    code = request.GET.get("province", "")
    if code and not is_ascii_int(code):
        raise Http404
    provinces = scoped(Province.objects.all(), request.user)
    if code and (scope.national or provinces.filter(code=int(code)).exists()):  # others' provinces: their own instead
        return unit_on(provinces, int(code), as_of)
    if scope.national:
        return _default_province(as_of)
    return province_of_scope(provinces, scope.province_id, as_of)


def _default_province(as_of: datetime.date) -> Province | None:
    """A national user's first dashboard: Kon Tum while it exists, then the province it went into (Quảng Ngãi)."""
    kon_tum = Province.objects.filter(code=KON_TUM).order_by("established_on").first()
    if kon_tum is not None and not kon_tum.exists_on(as_of):
        successor = kon_tum.successor_links.filter(successor__established_on__lte=as_of).select_related("successor").first()
        if successor is not None:
            return successor.successor
    return kon_tum or Province.objects.existing_on(as_of).order_by("code").first() or Province.objects.order_by("code").first()


def _get_district_for_user(request, code: int, as_of: datetime.date) -> District:
    return unit_on(scoped(District.objects.select_related("province"), request.user), code, as_of)


def _get_commune_for_user(request, code: int, as_of: datetime.date) -> Commune:
    return unit_on(scoped(Commune.objects.select_related("district", "province", "former_district"), request.user), code, as_of)


# ---- dashboard ---------------------------------------------------------------------------------

def dashboard(request):
    as_of = request_as_of(request).day
    scope = scope_for(request.user)
    if not scope.sees_anything:
        return render(request, "dashboard/no_access.html", status=403)
    code = request.GET.get("province", "")
    if code and not is_ascii_int(code):
        raise Http404
    # Everything below the request's own parameters is cached under the data versions (see datacache).
    area = f"code={code}" if scope.national else f"province={scope.province_id}:code={code}"
    districts = ",".join(str(pk) for pk in sorted(scope.district_ids))
    key = f"dashboard:{area}:{districts}:{as_of.isoformat()}:{get_language()}"
    # Filed under the numbers of the province shown (and its lineage): a write elsewhere leaves it cached.
    # A national user's first page (no ?province=) is the default province of the day: any write counts.
    if scope.national:
        area_of = {"codes": [int(code)]} if code else {}
    else:
        area_of = {"provinces": scope.provinces}
    page = datacache.cached(key, lambda: _dashboard_page(request, scope, as_of, key, area_of), **area_of)
    if page is None:  # no province loaded yet
        return render(request, "dashboard/no_access.html", status=403)
    return render(request, "dashboard/dashboard.html", {**page, "as_of": as_of})


def _dashboard_page(request, scope, as_of: datetime.date, key: str, area_of: dict) -> dict | None:
    """The dashboard's province and its rendered content: everything the cache key determines."""
    data = _dashboard_data(request, scope, as_of, key, area_of)
    if data is None:
        return None
    breakdown = data["breakdown"]
    # A user limited to districts sees those districts: the page is titled with them, not the province,
    # and offers their rosters (the province's review covers districts outside their scope).
    own_districts = [row.district for row in breakdown] if scope.district_ids else []
    heading = ", ".join(d.name for d in own_districts) if own_districts else data["province"].name
    ready = ready_waiting_counts(province=data["province"], day=as_of)
    for row in data["gap_rows"]:  # trained and waiting officers who could fill the gap (pipeline/stages.py)
        row.commune.ready_waiting = ready_for_gap(ready, row.commune)
    gap_rows = [(r, gap_labels(r.gaps) + facility_gap_labels(data["facility_gaps"].get(r.commune.pk, [])))
                for r in data["gap_rows"]]
    context = {
        **data,
        "totals": data["figures"],
        "gap_rows": gap_rows,
        "gap_rows_html": gap_rows_html(gap_rows, asq=as_of.isoformat(), province=data["province"]),
        "district_rows_html": district_rows_html(breakdown, asq=as_of.isoformat(), former_districts=data["former_districts"]),
        "plan_norm": plan_norm(data["plan"]) if data["plan"] is not None else "",
        "as_of": as_of,
        "limited": bool(scope.district_ids),
        "area_query": _area_query(scope, data["province"], breakdown),
        "heading": heading,
        "own_districts": own_districts,
        "province_options": _province_options(data["provinces"], data["province"]),
    }
    # The frame needs only the province; the rest lives in the rendered body (not stored twice).
    return {"province": data["province"], "heading": heading,
            "body": render_to_string("dashboard/_dashboard_body.html", context, request)}


def _area_query(scope, province: Province, breakdown) -> str:
    """What a tile's link adds so that its list has the tile's rows: a national user's lists would
    otherwise cover the country, and a user limited to one district is shown that district's. (A list
    is already limited to the user's districts, as the tiles are.)"""
    if scope.national or len(scope.provinces) > 1:
        return f"&province={province.code}"
    if len(scope.district_ids) == 1 and breakdown:
        return f"&district={breakdown[0].district.code}"
    return ""


def _dashboard_head(request, scope, as_of: datetime.date) -> tuple | None:
    """The province shown, its plan in force and the plan's milestones: units and plans only (datacache.topics)."""
    province = _province_for(request, scope, as_of)
    if province is None:
        return None
    plan = plan_for(province, as_of)
    return province, plan, milestones_of(plan, scope.district_ids) if plan is not None else []


def _dashboard_data(request, scope, as_of: datetime.date, key: str, area_of: dict) -> dict | None:
    """What the dashboard shows for the user's area on the day: figures, districts, gaps, charts.

    Its parts that read no staffing are cached apart under their own topics (datacache.topics), so a posting
    written in the province recomputes the figures and leaves the province, its plan, its milestones and its
    facilities gaps cached; a facilities row written recomputes those gaps alone."""
    head = datacache.cached(f"head:{key}", lambda: _dashboard_head(request, scope, as_of),
                            topics=(topics.UNITS, topics.PLANS), **area_of)
    if head is None:
        return None
    province, plan, milestones = head
    area = area_staffing(province=province, as_of=as_of, plan=plan)
    breakdown = area.breakdown()
    staffing = area.plan_communes()
    communes = area.communes
    if scope.district_ids:  # a user limited to districts: theirs (since 01/07/2025, the communes that came from them)
        breakdown = [row for row in breakdown if row.district.pk in scope.district_ids]
        staffing = [row for row in staffing if row.commune.area_district_id in scope.district_ids]
        communes = [c for c in communes if c.area_district_id in scope.district_ids]
    figures = figures_of(communes)
    start = min(plan.issued_on if plan is not None else as_of - datetime.timedelta(days=365), as_of)
    # One read of the postings since the plan's issue: the chart's month ends and the roadmap's due dates.
    timeline = staffing_timeline(province=province, start=start, end=as_of, plan=plan, district_ids=scope.district_ids)
    points = rollout_series(province=province, start=start, end=as_of, plan=plan, district_ids=scope.district_ids,
                            timeline=timeline)
    date_label = formats.date_format(as_of, "SHORT_DATE_FORMAT")
    # The roadmap's actual figures are this page's: the same area read on each due date, this day's not read again.
    roadmap = plan_roadmap(plan=plan, as_of=as_of, district_ids=scope.district_ids, known={as_of: area}, rollout=points,
                           timeline=timeline, milestones=milestones)
    labels = {"communes_label": _("Communes covered"), "officers_label": _("Officers in post"),
              "marker_label": date_label, "title": _("Roll-out, month by month")}
    return {
        "province": province,
        "plan": plan,
        "figures": figures,
        "breakdown": breakdown,
        "former_districts": not area.has_districts and bool(breakdown),
        "province_gone": province.outside_life_on(as_of),
        "province_links": province_links(province, as_of),
        # The facilities gaps (facilities.gaps) join the plan's staffing gaps; the figures never read them.
        "facility_gaps": (facility := _facility_gaps(province, [row.commune for row in staffing], as_of)),
        "gap_rows": [row for row in staffing if row.gaps or row.commune.pk in facility],
        "roadmap": roadmap, "roadmap_charts": roadmap_charts(roadmap),
        "chart": rollout_chart(points, as_of=as_of, **labels),
        # A second, narrower drawing for phones (CSS picks one), so its text stays readable there.
        # 300 wide, a little under a phone card's width (about 340 px): drawn slightly enlarged, so its
        # 11 px labels read at 12 px or so instead of shrinking to 9 px.
        "chart_small": rollout_chart(points, as_of=as_of, width=300, height=300, **labels),
        # A picker when the user's scope holds several provinces on the day (the nation; a merged province's past).
        "provinces": _provinces_offered(request, scope, as_of),
    }


def _facility_gaps(province: Province, communes: list[Commune], as_of: datetime.date) -> dict[int, list[str]]:
    """facility_gaps_of() the plan's communes of the area: units, plans and facilities only (datacache.topics)."""
    digest = hashlib.blake2b(",".join(str(c.pk) for c in communes).encode(), digest_size=12).hexdigest()
    return datacache.cached(f"facility-gaps:{province.pk}:{digest}:{as_of.isoformat()}",
                            lambda: facility_gaps_of(communes, as_of), provinces=[province.pk],
                            topics=(topics.UNITS, topics.PLANS, topics.FACILITIES))


def _province_options(provinces: list | None, shown: Province) -> SafeString:
    """The picker's <option>s, the province shown selected (63 of them for a national user on a day before 2025:
    written here, not by a template loop of four lookups each)."""
    return mark_safe("".join(  # noqa: S308 — the names escaped, the codes integers
        f'<option value="{int(p.code)}"{" selected" if p.pk == shown.pk else ""}>{escaped(p.name)}</option>'
        for p in provinces or ()))


class ProvinceChoice(NamedTuple):
    """A province as the dashboard's picker offers it (cached: a tuple unpickles 20× faster than a row)."""
    pk: int
    code: int
    name: str


def _provinces_offered(request, scope, as_of: datetime.date) -> list | None:
    """The provinces of the day in the user's scope, when several (the picker): cached apart, under the number
    of what belongs to no province (provinces change only with it), so a write in a province keeps it."""
    area = "national" if scope.national else ",".join(map(str, sorted(scope.provinces)))
    provinces = datacache.cached(
        f"provinces-offered:{area}:{as_of.isoformat()}",
        lambda: [ProvinceChoice(*row) for row in scoped(Province.objects.existing_on(as_of), request.user)
                 .order_by("sort_key").values_list("pk", "code", "name")], provinces=(),
    )
    return provinces if len(provinces) > 1 else None



# ---- communes and districts --------------------------------------------------------------------

def _plan_of_district(district: District, as_of: datetime.date):
    """The plan a district's communes answer to on the day: the one in force in the province that holds the
    district's area then (a former district's communes, since 01/07/2025, are its new province's)."""
    return plan_for(province_of_the_day(district.province, as_of), as_of)


def _list_plan(request, scope, as_of: datetime.date):
    """The plan a commune list applies: that of the province asked for, else of the district asked for (the
    district page's tiles link with ?district= alone), else of the dashboard's province."""
    code = code_param(request.GET, "district")
    if code and not request.GET.get("province"):
        try:
            return _plan_of_district(_get_district_for_user(request, int(code), as_of), as_of)
        except Http404:  # not a district of the user's: the list shows nothing of it anyway
            pass
    province = _province_for(request, scope, as_of)
    return plan_for(province, as_of) if province is not None else None


def commune_list(request):
    as_of = request_as_of(request).day
    scope = scope_for(request.user)
    # The plan depends on units and plans only: cached under their numbers, a posting written anywhere keeps it.
    who = "national" if scope.national else f"{scope.province_id}:{','.join(map(str, sorted(scope.district_ids)))}"
    asked = hashlib.blake2b(repr((request.GET.get("district"), request.GET.get("province"))).encode(),
                            digest_size=12).hexdigest()  # as given: a bad code still gets its 404
    plan = datacache.cached(f"list-plan:{who}:{asked}:{as_of.isoformat()}", lambda: _list_plan(request, scope, as_of),
                            topics=(topics.UNITS, topics.PLANS))
    communes = scoped(Commune.objects.select_related("district"), request.user).existing_on(as_of)

    def rows():
        return communes_with_staffing(communes=communes, as_of=as_of, plan=plan).order_by("district__sort_key", "sort_key_on")

    return table_page(  # rows and filters made only when the body is computed, not when it is served cached
        request, queryset=rows, filterset_class=CommuneFilterSet, table_class=CommuneTable,
        template="communes/commune_list.html", what="xa-phuong-thi-tran", title=_("Communes"),
        filterset_kwargs={"plan": plan},
        table_kwargs={"plan": plan},
        context={"plan": plan, "plan_norm": plan_norm(plan) if plan is not None else ""},
    )


def district_detail(request, code: int):
    as_of = request_as_of(request).day
    district = _get_district_for_user(request, code, as_of)
    plan = _plan_of_district(district, as_of)
    area = area_staffing(province=district.province, district=district, as_of=as_of, plan=plan)
    figures, communes = area.figures, area.communes
    for commune in communes:
        commune.gap_labels = gap_labels(commune_gaps(commune, plan=plan))
    # The officers the tile counts, each commune named as it was on the day.
    staff = list(
        postings_held(user=request.user, as_of=as_of).filter(area_q(district=district, prefix="commune__"))
        .annotate(**commune_named_on(as_of), rank_on=attributes_on(as_of, "officer_id")["rank_on"])
        .select_related("officer", "commune").order_by("commune_sort_key_on", "position", "officer__sort_key")
    )
    units = support_in_area(area_q=area_q(district=district, prefix="commune__"), as_of=as_of)
    # On a day after the district's end its page is the former district's (the communes that came from
    # its communes), in the province of that day; before its start, nothing yet.
    return render(request, "communes/district_detail.html", {
        "district": district, "plan": plan, "figures": figures, "communes": communes, "staff": staff,
        "units": units, "as_of": as_of, "not_on_day": district.outside_life_on(as_of), "life": describe_life(district),
        "province_of_day": province_of_the_day(district.province, as_of),
    })


def commune_detail(request, code: int):
    as_of = request_as_of(request).day
    commune = _get_commune_for_user(request, code, as_of)
    # Rendered once for each commune, day, language and kind of viewer, under the data versions of its province
    # (and its lineage's: where it came from): a write elsewhere leaves it cached.
    key = f"commune-page:{commune.pk}:{as_of.isoformat()}:{timezone.localdate().isoformat()}:{get_language()}:{viewer_key(request.user)}"
    page = datacache.cached(key, lambda: _commune_page(request, commune, as_of), provinces=[commune.province_id])
    return render(request, "communes/commune_detail.html", {"page": page, "commune": commune, "as_of": as_of})


def _commune_page(request, commune: Commune, as_of: datetime.date) -> dict:
    """The commune page's title, breadcrumbs and body, rendered."""
    province = commune.province
    plan = plan_for(province, as_of)
    row = communes_with_staffing(communes=Commune.objects.filter(pk=commune.pk), as_of=as_of, plan=plan).get()
    gaps = gap_labels(commune_gaps(row, plan=plan))
    postings = list(
        Posting.objects.for_user(request.user).filter(commune=commune)
        .select_related("officer").annotate(rank_on=attributes_on(as_of, "officer_id")["rank_on"]).order_by("-start_date", "position", "officer__sort_key")
    )
    staff = sorted((p for p in postings if p.holds_on(as_of)), key=lambda p: (p.position, p.officer.sort_key))
    roles = list(
        PartyRole.objects.for_user(request.user).filter(commune=commune)
        .select_related("officer", "cell").order_by("-start_date", "role")
    )
    cells = list(PartyCell.objects.filter(commune=commune).select_related("commune").order_by("-established_on"))
    context = {
        "commune": commune, "row": row, "plan": plan, "gaps": gaps, "staff": staff, "postings": postings,
        "roles": roles, "current_roles": [r for r in roles if r.is_open_on(as_of) and commune.exists_on(as_of)],
        "cells": cells, **_followup(request.user, commune, as_of),
        "changes": list(CommuneChange.objects.filter(commune=commune).order_by("effective_on")),
        "as_of": as_of, **_lineage(request.user, commune, as_of), **commune_facilities(commune, as_of),
    }
    return {"title": row.name_on, "crumbs": render_to_string("communes/_commune_detail_crumbs.html", context, request),
            "body": render_to_string("communes/_commune_detail_body.html", context, request)}


def _followup(user, commune: Commune, as_of: datetime.date) -> dict:
    """The departments supporting the commune on the day and its follow-up log (followup app): two queries."""
    scope = scope_for(user)
    return {"support": support_of_commune(commune, as_of=as_of), "may_edit_here": scope.can_edit and scope.allows_commune(commune),
            "followup_entries": commune_entries(commune, user=user, as_of=as_of)}


def _lineage(user, commune: Commune, as_of: datetime.date) -> dict:
    """Where the commune came from and what it became, with the officers in post on each side of the change
    (the units on their last day, the new ones on their first); on a day outside its life, which of them to open."""
    links = list(CommuneLineage.objects.filter(Q(successor=commune) | Q(predecessor=commune))
                 .select_related("predecessor", "successor").order_by("effective_on", "pk"))
    came_from = sorted((link for link in links if link.successor_id == commune.pk), key=lambda link: link.predecessor.sort_key)
    became = sorted((link for link in links if link.predecessor_id == commune.pk), key=lambda link: link.successor.sort_key)
    days: dict[datetime.date, set[int]] = {}
    for link in came_from:
        days.setdefault(link.effective_on - datetime.timedelta(days=1), set()).add(link.predecessor_id)
        days.setdefault(link.effective_on, set()).add(commune.pk)
    for link in became:
        days.setdefault(link.effective_on - datetime.timedelta(days=1), set()).add(commune.pk)
        days.setdefault(link.effective_on, set()).add(link.successor_id)
    counts = {}
    for day, ids in days.items():  # at most four days: one query each
        held = postings_held(user=user, as_of=day).filter(commune_id__in=ids).values("commune_id").annotate(n=Count("pk"))
        counts.update({(row["commune_id"], day): row["n"] for row in held})

    def across(units_day: list[tuple[Commune, datetime.date]]) -> list[tuple[Commune, datetime.date, int]]:
        return [(unit, day, counts.get((unit.pk, day), 0)) for unit, day in units_day]

    eve = datetime.timedelta(days=1)
    return {
        "came_from": came_from, "became": became,
        "came_from_staff": across([(link.predecessor, link.effective_on - eve) for link in came_from]
                                  + ([(commune, came_from[0].effective_on)] if came_from else [])),
        "became_staff": across(([(commune, became[0].effective_on - eve)] if became else [])
                               + [(link.successor, link.effective_on) for link in became]),
        "life": describe_life(commune),
        "not_on_day": commune.outside_life_on(as_of),
    }


# ---- search ------------------------------------------------------------------------------------

SEARCH_PER_PAGE = 25


def _search_page(request, queryset, param: str):
    """One page of a search section, `?<param>=N` choosing it: a count and a slice, whatever the matches."""
    return Paginator(queryset, SEARCH_PER_PAGE).get_page(request.GET.get(param))


def _page_links(request, page, param: str) -> dict:
    """Links to the section's previous and next pages, the rest of the query kept."""
    links = {}
    for name, present, number in (("previous", page.has_previous, page.number - 1), ("next", page.has_next, page.number + 1)):
        if present():
            query = request.GET.copy()
            query[param] = number
            links[name] = f"?{query.urlencode()}"
    return links


def search(request):
    q = request.GET.get("q", "").strip()[:100]  # fold() drops control characters such as NUL
    as_of = request_as_of(request).day
    context = {"q": q, "as_of": as_of}
    if q:
        # Every match is counted and reachable, a page at a time (no silent cap). Officers of one name are
        # told apart by service number, home unit and the commune each held on the day (named as then).
        officers = _search_page(request, officer_rows(user=request.user, as_of=as_of).search(q), "page")
        # A commune by any name it has had: its own, a name before a rename, a unit it was formed from.
        former = former_name_hits(q)
        communes = _search_page(
            request,
            scoped(Commune.objects.select_related("district", "province"), request.user)
            .filter(Q(search_name__contains=fold(q)) | Q(pk__in=list(former))).with_state_on(as_of)
            .order_by("sort_key_on", "district__sort_key", "pk"),
            "cpage",
        )
        for commune in communes:
            name = former.get(commune.pk)
            commune.formerly = name if name and fold(q) not in fold(commune.name_on) else ""
        districts = list(scoped(District.objects.all(), request.user).search(q).order_by("sort_key"))
        context.update({
            "officers": officers, "officer_links": _page_links(request, officers, "page"),
            "communes": communes, "commune_links": _page_links(request, communes, "cpage"),
            "districts": districts, "place_count": communes.paginator.count + len(districts),
        })
    return render(request, "dashboard/search.html", context)
