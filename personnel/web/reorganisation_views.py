"""Apply a reorganisation under /manage/reorganisation/: the dry run with its conflicts and choices, the
confirm, and the undo (personnel/reorganisation.py does the work; this screen only asks and shows)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.changes import read_change_rows, record_changes
from communes.models import NEW_TIER_FROM, Province
from kontum_posts.lib.params import ascii_int
from personnel import reorganisation
from personnel.access import admin_required, scope_for, scoped
from personnel.models import Reorganisation

DEFAULT_ACT = "Nghị quyết 1677/NQ-UBTVQH15"


def _provinces(user, day: datetime.date):
    """The provinces of the day an administrator may reorganise: theirs (a national one: every one)."""
    if scope_for(user).district_ids:
        return Province.objects.none()  # an administrator limited to districts reorganises nothing
    return scoped(Province.objects.existing_on(day), user).order_by("sort_key")


def _choices(data, prefix: str) -> dict[int, int]:
    """{key: value} from fields named PREFIX_KEY whose value is a number (the screen's selects)."""
    found = {}
    for name, value in data.items():
        if name.startswith(prefix) and (key := ascii_int(name[len(prefix):])) is not None and (
                number := ascii_int(value)) is not None:
            found[key] = number
    return found


@admin_required
def reorganisation_page(request):
    data = request.POST if request.method == "POST" else request.GET
    error = ""
    try:
        day = datetime.date.fromisoformat(data.get("on") or NEW_TIER_FROM.isoformat())
    except ValueError:
        day, error = NEW_TIER_FROM, _("Enter the effective day as a date.")
    provinces = list(_provinces(request.user, day))
    code = ascii_int(data.get("province", ""))
    province = next((p for p in provinces if p.code == code), provinces[0] if len(provinces) == 1 else None)
    act = (data.get("act") or DEFAULT_ACT).strip()[:100]
    proposal = None
    if "show" in data or request.method == "POST":
        if province is None:
            error = error or _("Choose a province.")
        else:
            proposal = reorganisation.propose(
                province=province, effective_on=day, legal_basis=act, successor_of=_choices(data, "successor_"),
                chief_of=_choices(data, "chief_"), secretary_of=_choices(data, "secretary_"))
    if request.method == "POST" and data.get("action") == "confirm" and proposal is not None and not error:
        try:
            done = reorganisation.apply(proposal, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("Reorganisation applied: %(n)s postings carried into the new units.") % {
                "n": len(proposal.moves)})
            return redirect(f"{request.path}?province={done.province.code}&on={day.isoformat()}")
    done = Reorganisation.objects.filter(province__in=_provinces(request.user, day)).select_related(
        "province", "applied_by", "undone_by")
    return render(request, "personnel/edit/reorganisation.html", {
        "provinces": provinces, "province": province, "day": day, "act": act, "proposal": proposal,
        "error": error, "done": done,
    })


@admin_required
@require_POST
def reorganisation_undo(request, pk: int):
    mine = Province.objects.none() if scope_for(request.user).district_ids else scoped(Province.objects.all(), request.user)
    done = get_object_or_404(Reorganisation.objects.filter(province__in=mine), pk=pk)  # another's: not found
    try:
        reorganisation.undo(done, user=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Reorganisation of %(day)s undone.") % {"day": f"{done.effective_on:%d/%m/%Y}"})
    return redirect(f"{reverse('manage:reorganisation')}?province={done.province.code}&on={done.effective_on.isoformat()}")


@admin_required
def record_changes_page(request):
    """National administrators record renames, changes of kind, merges and splits: pasted lines or a CSV file,
    checked first (nothing written), then recorded all at once."""
    if not scope_for(request.user).national:
        raise PermissionDenied
    text = request.POST.get("rows", "")
    if upload := request.FILES.get("file"):
        try:
            text = upload.read(1_000_000).decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
            messages.error(request, _("The CSV file is not UTF-8 text; save it from Excel as “CSV UTF-8”."))
    result = None
    rows = read_change_rows(text.encode()) if text.strip() else []
    if request.method == "POST" and rows:
        confirm = request.POST.get("action") == "record"
        result = record_changes(rows, dry_run=not confirm)
        if confirm and result.ok:
            messages.success(request, _("Recorded: %(renamed)s renamed or changed kind, %(created)s new units, "
                                        "%(ended)s units ended.") % {"renamed": result.renamed, "created": result.created,
                                                                     "ended": result.ended})
            return redirect("manage:reorganisation")
    elif request.method == "POST":
        messages.error(request, _("Give at least one row."))
    return render(request, "personnel/edit/record_changes.html", {"text": text, "rows": rows, "result": result})
