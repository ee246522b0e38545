"""`/import/`: upload a CSV, say which column is what (unless it is noghost's own), preview, confirm.

The file waits in the session between the steps; nothing is written to the user's invitations or
clients until the preview is confirmed, and then all in one transaction (imports/apply.py).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from invitations.forms.imports import MappingForm, UploadForm
from invitations.imports.apply import import_rows
from invitations.imports.columns import guess_mapping, is_noghost_export, read
from invitations.imports.plan import plan
from invitations.imports.writing import ImportRefused

SESSION_KEY = "noghost_import"
SHOWN = 200  # rows of each kind listed on the preview; the counts are always whole
# An import costs about 1 ms a line on SQLite, with its preview run again (docs/benchmarks.md);
# past this many, on a busy machine, a request may outlast gunicorn's 30 s timeout (and be rolled
# back whole), so the preview points to the command.
WEB_LINES = 10_000


@login_required
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        own = is_noghost_export(form.header)
        request.session[SESSION_KEY] = {
            "name": form.cleaned_data["file"].name, "text": form.text, "mapping": guess_mapping(form.header),
            "own": own,
        }
        return redirect("import_preview" if own else "import_columns")
    return render(request, "invitations/import_upload.html", {"form": form}, status=400 if form.errors else 200)


def with_staged_file(view):
    """The steps after the upload get the session's import, its header and rows; with no file
    waiting they go back to the upload."""
    @wraps(view)
    def step(request):
        staged = request.session.get(SESSION_KEY)
        if not staged:
            return redirect("import_upload")
        header, rows = read(staged["text"])
        return view(request, staged, header, rows)

    return login_required(step)


@with_staged_file
def import_columns(request, staged, header, rows):
    form = MappingForm(request.POST or None, header=header, initial=staged["mapping"])
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = {**staged, "mapping": form.mapping}
        return redirect("import_preview")
    samples = {name: [row[i] for row in rows[:3]] for i, name in enumerate(header)}
    return render(request, "invitations/import_columns.html", {
        "form": form, "staged": staged, "samples": samples, "count": len(rows),
    }, status=400 if form.errors else 200)


@with_staged_file
def import_preview(request, staged, header, rows):
    now = timezone.now()
    if request.method == "POST":
        try:
            done = import_rows(request.user, header, rows, staged["mapping"], now=now)
        except ImportRefused as refused:
            messages.error(request, str(refused))
        else:
            del request.session[SESSION_KEY]
            messages.success(request, f"Imported {done.invitations} invitation(s), {done.answered} with their answer, "
                             f"and {done.new_clients} new client(s); {done.matched} already here, {done.bad} bad "
                             "row(s) left out.")
            return redirect("invitation_list")
    preview = plan(request.user, header, rows, staged["mapping"], now=now)
    return render(request, "invitations/import_preview.html", {
        "staged": staged, "preview": preview,
        **{kind: getattr(preview, kind)[:SHOWN] for kind in ("create", "matched", "bad")},
        "more": {kind: max(0, len(getattr(preview, kind)) - SHOWN) for kind in ("create", "matched", "bad")},
        "too_long_for_the_web": len(preview.create) > WEB_LINES,
    })
