"""Editing a client and merging another into it: /clients/<pk>/edit/ and /clients/<pk>/merge/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from invitations.forms.workspace import ClientForm, MergeForm
from invitations.models import Client
from invitations.workspace.clients import what_moves


def owned_client(request, pk):
    return get_object_or_404(Client, pk=pk, owner=request.user)


@login_required
def client_edit(request, pk):
    client = owned_client(request, pk)
    form = ClientForm(request.POST or None, client=client)
    if request.method == "POST":
        saved = form.save()
        if saved is not None:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("client_detail", pk=pk)
    return render_edit(request, client, form, MergeForm(client=client), status=400 if form.errors else 200)


def render_edit(request, client, form, merge, *, other=None, status=200):
    names = Client.objects.filter(owner=request.user).exclude(pk=client.pk).values_list("name", flat=True)
    return render(request, "invitations/client_edit.html", {
        "client": client, "form": form, "merge": merge, "other": other, "client_names": list(names),
        "moving": what_moves(other) if other else None,
    }, status=status)


@login_required
@require_POST
def client_merge(request, pk):
    """First post: name the other client and see what moves; second (confirm): merge."""
    client = owned_client(request, pk)
    merge = MergeForm(request.POST, client=client)
    if not merge.is_valid():
        return render_edit(request, client, ClientForm(client=client), merge, status=400)
    other = merge.cleaned_data["other"]
    if not merge.cleaned_data["confirm"]:
        return render_edit(request, client, ClientForm(client=client), merge, other=other)
    kept = merge.save()
    if kept is None:
        return render_edit(request, client, ClientForm(client=client), merge, status=400)
    messages.success(request, f"Merged {other.name} into {kept.name}: one client now, with the history of both.")
    return redirect("client_detail", pk=kept.pk)
