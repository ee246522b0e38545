"""A client's page (the whole history with them) and reconnecting when a busy period ends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from invitations.answers import composer
from invitations.clock import local_date
from invitations.followups.history import client_history
from invitations.forms.answers import ContactForm, ReconnectForm, TellReferrerForm
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
                f" {closed} reconnect reminder{pluralize(closed)} closed: you are in touch already." if closed else ""))
            return redirect("client_detail", pk=pk)
    events, pending, referred = client_history(client)
    return render(request, "invitations/client_detail.html", {
        "client": client, "events": events, "pending": pending, "referred": referred, "form": form,
        "now": timezone.now(), "mailto": composer.mailto_link(client.email) if client.email else "",
        "log_query": prefill_query(client),
    })


def owned_followup_of_kind(request, pk, kind):
    return get_object_or_404(
        FollowUp.objects.select_related("client", "invitation__client", "invitation__referred_by", "owner__profile"),
        pk=pk, owner=request.user, kind=kind,
    )


def message_page(request, followup, *, to, form, draft, saved, **texts):
    """A follow-up that is a message to someone: its draft for the chosen channel, Copy and Open in
    e-mail, and the form saying it was done (`saved` is the message once the form saved)."""
    if request.method == "POST" and followup.done_at is None:
        done = form.save(followup, now=timezone.now())
        if done is not None:
            messages.success(request, saved if done else "It was marked done already.")
            return redirect("client_detail", pk=followup.client_id or followup.invitation.client_id)
    channel = message_channel(request, followup)
    text = draft.text_for(channel)
    return render(request, "invitations/followup_message.html", {
        "followup": followup, "client": followup.client or followup.invitation.client, "form": form,
        "draft": draft, "channel": channel, "text": text, "channels": Channel.choices,
        "mailto": composer.mailto_link(to.email, draft.subject, text) if to.email and channel == Channel.EMAIL else "",
        **texts,
    })


@login_required
def reconnect(request, pk):
    followup = owned_followup_of_kind(request, pk, FollowUpKind.RECONNECT)
    client = followup.client or followup.invitation.client
    zone = request.user.profile.zone
    invitation = followup.invitation
    intro = ""
    if invitation:
        busy = f", busy until {invitation.busy_until:%a %-d %b %Y}" if invitation.busy_until else ""
        intro = f"You declined “{invitation.display_title}”{busy}, and asked to reconnect after it."
    return message_page(
        request, followup, to=client, form=ReconnectForm(request.POST or None, initial={"channel": message_channel(request, followup)}),
        draft=composer.compose_reconnect(followup, zone=zone, today=local_date(timezone.now(), zone)),
        saved=f"Reconnected with {client.name}.", heading=f"Reconnect with {client.name}", intro=intro,
        done_label="Mark reconnected",
    )


@login_required
def tell_referrer(request, pk):
    """Thank the referrer and tell them what came of the introduction (item 6 of issue 19)."""
    followup = owned_followup_of_kind(request, pk, FollowUpKind.NOTIFY_REFERRER)
    referrer, invitation = followup.client, followup.invitation
    return message_page(
        request, followup, to=referrer, form=TellReferrerForm(request.POST or None, initial={"channel": message_channel(request, followup)}),
        draft=composer.compose_referrer_update(invitation, zone=request.user.profile.zone),
        saved=f"Told {referrer.name}.", heading=f"Tell {referrer.name} what happened",
        intro=f"{referrer.name} introduced {invitation.client.name} (“{invitation.display_title}”).",
        done_label=f"I told {referrer.name}",
    )


def message_channel(request, followup):
    """The channel picked on the page, else the one the answer went by: the draft is written for it."""
    channel = request.GET.get("channel") or (followup.invitation and followup.invitation.response_channel)
    return channel if channel in Channel.values else Channel.EMAIL
