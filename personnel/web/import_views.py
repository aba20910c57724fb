"""The bulk import under /manage/: the template, the preview of every row's errors, and the confirm."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communes.models import Commune
from personnel.access import editor_required, scoped
from personnel.importing import COLUMNS, postings_import, template_csv, template_xlsx
from personnel.importing.columns import _FileError as ImportFileError
from personnel.importing.previews import preview_save, preview_take, previews_purge
from personnel.importing.read import read_upload
from personnel.models import Unit
from personnel.web.forms import (
    ImportForm,
)


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
    """Upload → preview (nothing written) → import. The previewed file waits in the database for its owner's confirm."""
    previews_purge()
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    filename = ""
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        upload = form.cleaned_data.get("file")
        content = None
        if upload is not None:
            filename = upload.name
            try:
                content = read_upload(upload)
            except ImportFileError as error:
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
            result = postings_import(file=content, filename=filename, user=request.user, dry_run=action != "import",
                                     change_reason=request.POST.get("change_reason", ""))
            if action == "import" and result.ok:
                messages.success(request, _("Imported %(postings)d postings and %(officers)d new officers.") % {
                    "postings": result.created_postings, "officers": result.created_officers})
                return redirect("manage:recent_changes")
            if action != "import" and result.ok:
                token = preview_save(owner=request.user, filename=filename, content=content).token
    return render(request, "personnel/edit/import.html", {
        "form": form, "result": result, "token": token, "filename": filename, "columns": COLUMNS,
    })
