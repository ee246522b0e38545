"""A client's page (the whole history with them) and reconnecting when a busy period ends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from invitations.answers import composer
from invitations.followups.history import client_history
from invitations.forms.answers import ContactForm, ReconnectForm
from invitations.forms.intake import prefill_query
from invitations.models import Channel, Client, FollowUp, FollowUpKind


@login_required
def client_detail(request, pk):
    client = get_object_or_404(Client, pk=pk, owner=request.user)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        saved = form.save(client, now=timezone.now())
        if saved is not None:
            _, closed = saved
            messages.success(request, "Contact noted." + (
                f" {closed} reconnect reminder(s) closed: you are in touch already." if closed else ""))
            return redirect("client_detail", pk=pk)
    events, pending, referred = client_history(client)
    return render(request, "invitations/client_detail.html", {
        "client": client, "events": events, "pending": pending, "referred": referred, "form": form,
        "now": timezone.now(), "log_query": prefill_query(client),
    })


@login_required
def reconnect(request, pk):
    followup = get_object_or_404(
        FollowUp.objects.select_related("client", "invitation__client", "owner__profile"),
        pk=pk, owner=request.user, kind=FollowUpKind.RECONNECT,
    )
    client = followup.client or followup.invitation.client
    channel = reconnect_channel(request, followup)
    form = ReconnectForm(request.POST or None, initial={"channel": channel})
    if request.method == "POST" and followup.done_at is None:
        done = form.save(followup, now=timezone.now())
        if done is not None:
            messages.success(request, f"Reconnected with {client.name}." if done else "It was marked done already.")
            return redirect("client_detail", pk=client.pk)
    draft = composer.compose_reconnect(followup, zone=request.user.profile.zone)
    text = draft.text_for(channel)
    return render(request, "invitations/reconnect.html", {
        "followup": followup, "client": client, "form": form, "draft": draft, "channel": channel, "text": text,
        "channels": Channel.choices,
        "mailto": composer.mailto_link(client.email, draft.subject, text)
        if client.email and channel == Channel.EMAIL else "",
    })


def reconnect_channel(request, followup):
    """The channel picked on the page, else the one the answer went by: the draft is written for it."""
    channel = request.GET.get("channel") or (followup.invitation and followup.invitation.response_channel)
    return channel if channel in Channel.values else Channel.EMAIL
