"""The facilities screens: the table as of a day (CSV/XLSX), the forms that record a headquarters state or
an equipment count, the norm list, and the import. Views parse the request, call a selector or service,
render; who may see and change what is personnel.access's."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from communes.lookup import province_of_scope, unit_on
from communes.models import Commune, Province
from facilities import services
from facilities.gaps import FACILITY_GAP_LABELS
from facilities.importing import COLUMNS, GUIDE, facilities_import, template_rows
from facilities.models import EquipmentItem, EquipmentNorm
from facilities.selectors import STATE_ORDER, area_facilities, state_counts, state_label
from facilities.web.forms import (
    EquipmentCountForm,
    FacilitiesFilterForm,
    FacilitiesImportForm,
    HeadquartersForm,
    ItemForm,
    NormForm,
)
from facilities.web.tables import FacilitiesTable
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.export import FORMATS, csv_response, export_filename, table_export, xlsx_response
from kontum_posts.lib.params import is_ascii_int
from personnel import access_log
from personnel.access import editor_required, require_edit, scope_for, scoped
from personnel.importing.columns import _FileError
from personnel.importing.previews import preview_save, preview_take, previews_purge
from personnel.importing.read import read_upload
from personnel.models import AccessEvent

PER_PAGE = 50


# ---- permission helpers ----------------------------------------------------------------------------

def _province_for(request, as_of: datetime.date) -> Province | None:
    """The user's province on the day (before a merger, the one it came from); ?province=CODE picks another
    of their scope (national users: any)."""
    scope = scope_for(request.user)
    if not scope.sees_anything:
        return None
    provinces = scoped(Province.objects.all(), request.user)
    code = request.GET.get("province", "")
    if code:
        if not is_ascii_int(code):
            raise Http404
        return unit_on(provinces, int(code), as_of)
    if scope.national:
        return provinces.existing_on(as_of).order_by("code").first()
    return province_of_scope(provinces, scope.province_id, as_of)


def _commune_to_edit(request, code: int, as_of: datetime.date) -> Commune:
    """The commune bearing the code on the day, if the user may change it (404 outside their area, 403 for a viewer)."""
    require_edit(request.user)
    commune = unit_on(scoped(Commune.objects.select_related("district", "province", "former_district"), request.user),
                      code, as_of)
    require_edit(request.user, commune)
    return commune


# ---- the table -------------------------------------------------------------------------------------

def facilities_table(request):
    as_of = request_as_of(request).day
    scope = scope_for(request.user)
    province = _province_for(request, as_of)
    if province is None:
        raise PermissionDenied
    rows = area_facilities(province=province, as_of=as_of, scope=scope)
    districts = sorted({r.commune.area_district for r in rows if r.commune.area_district is not None},
                       key=lambda d: (d.sort_key, d.pk))
    form = FacilitiesFilterForm(request.GET or None, districts=districts,
                                states=[(s, state_label(s)) for s in STATE_ORDER],
                                gaps=[(k, str(v)) for k, v in FACILITY_GAP_LABELS.items()])
    shown = rows
    if form.is_valid():
        chosen = form.cleaned_data
        if chosen.get("district"):
            shown = [r for r in shown if r.commune.area_district and r.commune.area_district.code == chosen["district"]]
        if chosen.get("state"):
            shown = [r for r in shown if r.state == chosen["state"]]
        if chosen.get("gap"):
            shown = [r for r in shown if chosen["gap"] in r.gaps]
    table = FacilitiesTable(shown, as_of=as_of)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        access_log.record(request, AccessEvent.Kind.EXPORT)
        notes = [(_("List"), _("Facilities of commune police posts")), (_("Place"), province.name), (_("As of"), as_of)]
        if form.is_valid():
            notes += [(str(form.fields[k].label), dict(form.fields[k].choices).get(v, v))
                      for k, v in form.cleaned_data.items() if v]
        return table_export(table, fmt, what="co-so-vat-chat", place=province.name, day=as_of,
                            sheet_title=_("Facilities"), notes=notes)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    base = query.urlencode()
    return render(request, "facilities/facilities_list.html", {
        "table": table, "form": form, "province": province, "as_of": as_of, "counts": state_counts(shown),
        "state_labels": {s: state_label(s) for s in STATE_ORDER},
        "gap_count": sum(1 for r in shown if r.gaps), "total": len(shown),
        "export_csv": f"?{base}&export=csv" if base else "?export=csv",
        "export_xlsx": f"?{base}&export=xlsx" if base else "?export=xlsx",
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort", "as_of")),
        "can_edit": scope.can_edit, "is_admin": scope.is_admin,
    })


# ---- recording -------------------------------------------------------------------------------------

def _record(request, code: int, form_class, write, title: str, intro: str):
    as_of = request_as_of(request).day
    commune = _commune_to_edit(request, code, as_of)
    form = form_class(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            row = write(commune, form.cleaned_data)
        except ValidationError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Recorded: %(row)s.") % {"row": row})
            return redirect(f"{reverse('commune_detail', args=[commune.code])}?as_of={row.effective_on:%Y-%m-%d}#facilities")
    return render(request, "facilities/record_form.html", {
        "form": form, "commune": commune, "title": title, "intro": intro, "as_of": as_of,
        "submit": _("Save"), "back": f"{reverse('commune_detail', args=[commune.code])}?as_of={as_of:%Y-%m-%d}",
    })


@editor_required
def headquarters_add(request, code: int):
    def write(commune, d):
        return services.headquarters_record(
            commune=commune, on=d["effective_on"], state=d["state"], construction_start=d["construction_start"],
            completion_date=d["completion_date"], completion_actual=d["completion_actual"], floor_area=d["floor_area"],
            cost=d["cost"], funding=d["funding"] or "", note=d["note"])

    return _record(request, code, HeadquartersForm, write, _("Record a headquarters state"),
                   _("The state holds from its day until the next one recorded: a move, works starting, a completion."))


@editor_required
def equipment_add(request, code: int):
    def write(commune, d):
        return services.equipment_count_record(commune=commune, item=d["item"], on=d["effective_on"],
                                               quantity=d["quantity"], note=d["note"])

    return _record(request, code, EquipmentCountForm, write, _("Record an equipment count"),
                   _("How many of the item the post has from the day on (after an issue, a count or a write-off)."))


# ---- the norm list ---------------------------------------------------------------------------------

def norm_list(request):
    as_of = request_as_of(request).day
    province = _province_for(request, as_of)
    if province is None:
        raise PermissionDenied
    norms = list(EquipmentNorm.objects.filter(province=province).select_related("item").order_by("item__order", "item__name", "-effective_on"))
    in_force = {}
    for norm in sorted(norms, key=lambda n: n.effective_on):
        if norm.effective_on <= as_of:
            in_force[norm.item_id] = norm
    items = list(EquipmentItem.objects.all())
    return render(request, "facilities/norm_list.html", {
        "province": province, "as_of": as_of, "items": [(item, in_force.get(item.pk)) for item in items],
        "norms": norms, "is_admin": scope_for(request.user).is_admin,
    })


def _admin_province(request) -> Province:
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied
    province = _province_for(request, request_as_of(request).day)
    if province is None:
        raise PermissionDenied
    return province


def norm_set(request):
    province = _admin_province(request)
    form = NormForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.equipment_norm_set(province=province, item=d["item"], on=d["effective_on"], quantity=d["quantity"],
                                        decision=d["decision"])
        except ValidationError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The norm is set."))
            return redirect(f"{reverse('facilities:norms')}?province={province.code}")
    return render(request, "facilities/record_form.html", {
        "form": form, "title": _("Set a norm"), "submit": _("Set the norm"), "province": province,
        "intro": _("How many of the item each commune police post of %(province)s should have from the day on.") % {
            "province": province.name},
        "back": reverse("facilities:norms"),
    })


def item_add(request):
    _admin_province(request)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.equipment_item_add(**form.cleaned_data)
        messages.success(request, _("The item is on the norm list."))
        return redirect("facilities:norms")
    return render(request, "facilities/record_form.html", {
        "form": form, "title": _("Add an item to the norm list"), "submit": _("Add"), "back": reverse("facilities:norms"),
    })


# ---- the import ------------------------------------------------------------------------------------

@editor_required
def import_template(request, fmt: str):
    rows = template_rows()
    guide = [("Cột", "Bắt buộc", "Ví dụ", "Ghi chú"),
             *((c.header, "x" if c.required else "", c.example, GUIDE.get(c.key, "")) for c in COLUMNS)]
    filename = export_filename("mau-nhap-co-so-vat-chat", "", day=request_as_of(request).day, ext=fmt)
    if fmt == "xlsx":
        # The header alone on the sheet to fill in (an example row would be imported); the examples are in the guide.
        return xlsx_response(rows[:1], filename, sheet_title="Cơ sở vật chất", notes=guide)
    if fmt == "csv":
        return csv_response(rows[:1], filename)  # the header alone: an example row would be imported
    raise Http404


@editor_required
def import_facilities(request):
    """Upload → preview (nothing written) → import, as the postings import: the file waits for the confirm."""
    previews_purge()
    form = FacilitiesImportForm(request.POST or None, request.FILES or None)
    result, token, filename = None, "", ""
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        upload, content = form.cleaned_data.get("file"), None
        if upload is not None:
            filename = upload.name
            try:
                content = read_upload(upload)
            except _FileError as error:
                form.add_error("file", str(error))
        elif request.POST.get("token"):
            preview = preview_take(token=request.POST["token"], owner=request.user)
            if preview is None:
                form.add_error("file", _("That preview is no longer waiting (imported, expired, or ended with your "
                                         "session); choose the file again."))
            else:
                content, filename = preview.content, preview.filename
        else:
            form.add_error("file", _("Choose a file."))
        if content is not None:
            result = facilities_import(file=content, filename=filename, user=request.user, dry_run=action != "import",
                                       change_reason=request.POST.get("change_reason", ""))
            if action == "import" and result.ok:
                messages.success(request, _("Imported %(hq)d headquarters states and %(counts)d equipment counts.") % {
                    "hq": result.headquarters, "counts": result.counts})
                return redirect("facilities:list")
            if action != "import" and result.ok:
                token = preview_save(owner=request.user, filename=filename, content=content).token
    return render(request, "facilities/import.html", {
        "form": form, "result": result, "token": token, "filename": filename, "columns": COLUMNS,
    })
