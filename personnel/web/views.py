"""Officer, posting and Party-role pages. Every queryset goes through the user's scope."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from kontum_posts.lib.asof import request_as_of
from personnel.listings import commune_named_on, officer_rows, partyrole_rows, posting_rows
from personnel.models import Officer, PartyRole, Posting
from personnel.web.filters import OfficerFilterSet, PartyRoleFilterSet, PostingFilterSet
from personnel.web.listing import table_page
from personnel.web.tables import OfficerTable, PartyRoleTable, PostingTable


def officer_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=officer_rows(user=request.user, as_of=as_of), filterset_class=OfficerFilterSet,
        table_class=OfficerTable, template="personnel/officer_list.html", what="can-bo", title=_("Officers"),
    )


def posting_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=posting_rows(user=request.user, as_of=as_of), filterset_class=PostingFilterSet,
        table_class=PostingTable, template="personnel/posting_list.html", what="bo-tri", title=_("Postings"),
    )


def partyrole_list(request):
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=partyrole_rows(user=request.user, as_of=as_of),
        export_queryset=partyrole_rows(user=request.user, as_of=as_of, joined=True),
        filterset_class=PartyRoleFilterSet,
        table_class=PartyRoleTable, template="personnel/partyrole_list.html", what="chuc-vu-dang", title=_("Party roles"),
    )


def officer_detail(request, pk: int):
    as_of = request_as_of(request).day
    officer = get_object_or_404(Officer.objects.for_user(request.user, on=as_of).select_related("home_unit"), pk=pk)
    postings = list(
        Posting.objects.for_user(request.user).filter(officer=officer).annotate(**commune_named_on(as_of))
        .select_related("commune", "commune__district").order_by("-start_date", "-pk")
    )
    roles = list(
        PartyRole.objects.for_user(request.user).filter(officer=officer).annotate(**commune_named_on(as_of))
        .select_related("commune", "commune__district", "cell").order_by("-start_date", "-pk")
    )
    current = next((p for p in postings if p.holds_on(as_of)), None)
    return render(request, "personnel/officer_detail.html", {
        "officer": officer, "postings": postings, "roles": roles, "current": current,
        "current_roles": [r for r in roles if r.is_open_on(as_of)],
    })
