"""Officer, posting and Party-role pages. Every queryset goes through the user's scope."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import datacache
from datacache.areas import AREA_NONE, officer_provinces
from kontum_posts.lib.asof import request_as_of
from personnel.listings import commune_named_on, officer_rows, partyrole_rows, posting_rows
from personnel.models import Officer, PartyRole, Posting
from personnel.officer_history import attributes_on, rank_label, status_label
from personnel.web.filters import OfficerFilterSet, PartyRoleFilterSet, PostingFilterSet
from personnel.web.listing import table_page, viewer_key
from personnel.web.tables import OfficerTable, PartyRoleTable, PostingTable


def officer_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=lambda: officer_rows(user=request.user, as_of=as_of), filterset_class=OfficerFilterSet,
        table_class=OfficerTable, template="personnel/officer_list.html", what="can-bo", title=_("Officers"),
    )


def posting_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=lambda: posting_rows(user=request.user, as_of=as_of), filterset_class=PostingFilterSet,
        table_class=PostingTable, template="personnel/posting_list.html", what="bo-tri", title=_("Postings"),
    )


def partyrole_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=lambda: partyrole_rows(user=request.user, as_of=as_of),
        export_queryset=lambda: partyrole_rows(user=request.user, as_of=as_of, joined=True),
        filterset_class=PartyRoleFilterSet,
        table_class=PartyRoleTable, template="personnel/partyrole_list.html", what="chuc-vu-dang", title=_("Party roles"),
    )


def officer_detail(request, pk: int):
    as_of = request_as_of(request).day
    # Rendered once for each officer, day, language and kind of viewer, under the data versions of the provinces
    # the officer belongs to (home units and postings; an officer in none: AREA_NONE's): a write elsewhere keeps it.
    key = f"officer-page:{pk}:{as_of.isoformat()}:{timezone.localdate().isoformat()}:{get_language()}:{viewer_key(request.user)}"
    page = datacache.cached(key, lambda: _officer_page(request, pk, as_of), provinces=(officer_provinces([pk]) - {None}) | {AREA_NONE})
    return render(request, "personnel/officer_detail.html", {"page": page, "as_of": as_of})


def _officer_page(request, pk: int, as_of) -> dict:
    """The officer page's title, breadcrumbs and body, rendered; 404 for an officer outside the user's scope."""
    # Rank, unit, status and Party membership on the day: the lists' one definition (attributes_on).
    officer = get_object_or_404(Officer.objects.for_user(request.user, on=as_of).annotate(**attributes_on(as_of)), pk=pk)
    postings = list(
        Posting.objects.for_user(request.user).filter(officer=officer).annotate(**commune_named_on(as_of))
        .select_related("commune", "commune__district").order_by("-start_date", "-pk")
    )
    roles = list(
        PartyRole.objects.for_user(request.user).filter(officer=officer).annotate(**commune_named_on(as_of))
        .select_related("commune", "commune__district", "cell").order_by("-start_date", "-pk")
    )
    current = next((p for p in postings if p.holds_on(as_of)), None)
    context = {
        "officer": officer, "postings": postings, "roles": roles, "current": current, "as_of": as_of,
        "current_roles": [r for r in roles if r.is_open_on(as_of)],
        "rank_on": rank_label(officer.rank_on), "status_on": status_label(officer.status_on),
        "home_unit_on": officer.home_unit_on_name,
        "party_member_since_on": officer.party_member_since if officer.party_member_on else None,
        "record": service_record(list(officer.changes.select_related("home_unit")), postings),
    }
    return {"title": officer.full_name,
            "crumbs": render_to_string("personnel/_officer_detail_crumbs.html", context, request),
            "body": render_to_string("personnel/_officer_detail_body.html", context, request)}


def service_record(changes, postings) -> list[dict]:
    """The officer's rank, unit and status changes and postings together, newest first (what first recorded
    values there are, with no day, last)."""
    rows = [{"day": c.effective_on, "what": c.get_attribute_display(), "detail": c.value_label,
             "decision": c.decision_number, "decision_date": c.decision_date} for c in changes if c.effective_on]
    for p in postings:
        rows.append({"day": p.start_date, "what": _("Posted"), "detail": f"{p.get_position_display()}, {p.commune_name_on}",
                     "decision": p.decision_number, "decision_date": p.decision_date})
        if p.end_date:
            reason = f" ({p.get_end_reason_display()})" if p.end_reason else ""
            rows.append({"day": p.end_date, "what": _("Posting ended"), "detail": f"{p.commune_name_on}{reason}",
                         "decision": "", "decision_date": None})
    return sorted(rows, key=lambda r: r["day"], reverse=True)
