"""The bulk import under /manage/: the template, the preview of every row's errors, and the confirm."""


import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communes.models import Commune
from personnel.access import editor_required, scoped
from personnel.importing import COLUMNS, postings_import, template_csv, template_xlsx
from personnel.models import Unit
from personnel.web.forms import (
    ImportForm,
)

IMPORT_DIR = Path(settings.BASE_DIR) / "var" / "imports"


@editor_required
def import_template(request, fmt: str):
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        # The guide's examples name a commune and a unit this user may write to.
        commune = scoped(Commune.objects.all(), request.user).order_by("district__sort_key", "sort_key").first()
        unit = scoped(Unit.objects.all(), request.user).order_by("kind", "name").first()
        examples = {}
        if commune is not None:
            examples["commune"] = str(commune.code)  # a valid cell, as the column reads it
        if unit is not None:
            examples["home_unit"] = unit.name
        response = HttpResponse(
            template_xlsx(examples), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-bo-tri.{fmt}"'
    return response


@editor_required
def import_postings(request):
    """Upload → preview (nothing written) → import. The previewed file waits under var/imports for the confirm."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    filename = ""
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        upload = form.cleaned_data.get("file")
        pending = request.session.get("pending_import") or {}
        if upload is not None:
            content, filename = upload.read(), upload.name
        elif request.POST.get("token") and pending.get("token") == request.POST["token"]:
            content = (IMPORT_DIR / pending["token"]).read_bytes()
            filename = pending["filename"]
        else:
            form.add_error("file", _("Choose a file."))
            content = None
        if content is not None:
            result = postings_import(file=content, filename=filename, user=request.user, dry_run=action != "import",
                                     change_reason=request.POST.get("change_reason", ""))
            if action == "import" and result.ok:
                _drop_pending(request)
                messages.success(request, _("Imported %(postings)d postings and %(officers)d new officers.") % {
                    "postings": result.created_postings, "officers": result.created_officers})
                return redirect("manage:recent_changes")
            if action != "import" and result.ok:
                _drop_pending(request)
                IMPORT_DIR.mkdir(parents=True, exist_ok=True)
                token = uuid.uuid4().hex
                (IMPORT_DIR / token).write_bytes(content)
                request.session["pending_import"] = {"token": token, "filename": filename}
    return render(request, "personnel/edit/import.html", {
        "form": form, "result": result, "token": token, "filename": filename, "columns": COLUMNS,
    })


def _drop_pending(request) -> None:
    pending = request.session.pop("pending_import", None)
    if pending:
        (IMPORT_DIR / pending["token"]).unlink(missing_ok=True)
