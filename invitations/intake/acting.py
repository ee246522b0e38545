"""What a read message leads to: an invitation logged, a reminder noted, a withdrawal, or a look.

Called by capture inside its claim: act() fills in the message's fields (READ_FIELDS) and the
caller writes the row (capture() INSERTs it once, already read; read_claimed() UPDATEs a stored
one). Invitations are logged through the one logging function (log.log_invitation) and
withdrawals through the one withdrawal function (answers.withdrawals.withdraw), so a captured
invitation is guarded exactly like a typed one.
The user's own reply to an invitation (a Bcc to the forwarding address) records the answer.
A reminder about an invitation already logged (the same job link, or the same platform, client
and title within 14 days) adds a line to that invitation's notes instead of logging a second.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from invitations.answers.withdrawals import withdraw
from invitations.intake import replies
from invitations.intake.forwards import original
from invitations.intake.log import EARLIEST, FUTURE_SLACK, client_for, log_invitation
from invitations.intake.reading import read
from invitations.intake.recognisers.base import OTHER, UNKNOWN, WITHDRAWAL
from invitations.intake.recognisers.registry import forged, recognise
from invitations.models import InboundMessage, Invitation, Platform, Status

State = InboundMessage.State
REMINDER_WINDOW = dt.timedelta(days=14)
PREVIEW = 5000
NOTES = 10_000  # Invitation.notes


def act(message, *, now, outer=None):
    """Read `message` (claimed by the caller) and set what it said and what was done (READ_FIELDS).

    `outer`: its Reading when the caller parsed the raw bytes already (capture()).
    """
    zone = message.owner.profile.zone
    if message.size > settings.INBOUND_MAX_BYTES:
        megabytes, limit = message.size / 2**20, settings.INBOUND_MAX_BYTES / 2**20
        return finish(message, State.REVIEW, f"It is {megabytes:.1f} MB, over the {limit:.0f} MB noghost reads: "
                                             "download it and log it by hand if it is an invitation.")
    outer = outer or read(bytes(message.raw))
    reading = original(outer, zone) or outer
    noticed = reading is outer and own_reply_to(message, outer, now=now)
    if noticed:
        return own_reply(message, *noticed)
    received = arrival(reading.sent_at, now)
    recognition = recognise(reading, received_at=received, zone=zone)
    doubt_forgery(recognition, outer, forwarded=reading is not outer)
    message.recogniser, message.confidence = recognition.recogniser, recognition.confidence
    message.preview = reading.text[:PREVIEW]
    message.found = found(recognition, received, forwarded=reading is not outer)
    message.found["kind"] = recognition.kind
    problems = "; ".join(outer.problems)
    state, reason = decide(message, recognition, received=received, now=now)
    return finish(message, state, f"{reason} ({problems})" if problems and state != State.LOGGED else reason)


def doubt_forgery(recognition, outer, *, forwarded):
    """A platform's mail that its own domain's checks failed is not sure (it goes to review)."""
    check = "" if forwarded or recognition.platform in ("", Platform.DIRECT) else forged(outer)
    if check:
        recognition.wording = False
        recognition.reason = f"the sender could not be verified ({check} failed at your mail server)"


def arrival(sent_at, now):
    """When the invitation arrived: its Date header, unless that is missing, in the future or before 2000."""
    if sent_at is None or sent_at > now + FUTURE_SLACK or sent_at < EARLIEST:
        return now
    return min(sent_at, now)


def found(recognition, received, *, forwarded):
    """The fields as the inbox shows them and the quick-add form takes them (JSON: times as ISO text)."""
    fields = {name: value.isoformat() if isinstance(value, dt.datetime) else value
              for name, value in recognition.fields.items()}
    return {**fields, "platform": recognition.platform, "received_at": received.isoformat(), "forwarded": forwarded}


def decide(message, recognition, *, received, now):
    """(state, reason) after doing what the recognition calls for."""
    if recognition.kind == OTHER:
        return State.NOT_INVITATION, recognition.reason
    if recognition.kind == WITHDRAWAL:
        return withdrawal(message, recognition, now=now)
    if recognition.kind == UNKNOWN:
        label = Platform(recognition.platform).label
        return State.REVIEW, recognition.reason or f"A message from {label} that noghost does not recognise."
    client = party(message.owner, recognition)
    earlier = earlier_invitation(message.owner, recognition, received, client)
    if earlier is not None:
        note_reminder(earlier, message, received=received, now=now)
        message.invitation = earlier
        return State.DUPLICATE, f"A reminder of invitation {earlier.pk}: added to its notes."
    if not recognition.sure:
        return State.REVIEW, review_reason(recognition)
    return log(message, recognition, received=received, now=now, client=client)


def review_reason(recognition):
    if recognition.reason:
        return f"Not logged: {recognition.reason}."
    if recognition.recogniser == "generic":
        return "Someone writing directly, not through a platform: check it before logging."
    missing = [name for name in ("client", "title") if not recognition.fields.get(name)]
    return f"Not sure it is an invitation: found no {' and no '.join(missing)}."


def log(message, recognition, *, received, now, client=None):
    """Log it through log_invitation, with the client party() found or made (else its name, for
    log_invitation to name what is wrong with it)."""
    fields = recognition.fields
    try:  # log_invitation checks everything before it writes, and writes in a savepoint of its own
        invitation = log_invitation(
            message.owner, now=now, client=client or fields["client"], **client_details(recognition),
            title=fields["title"], received_at=received, reply_by=fields.get("reply_by"), url=fields.get("url", ""),
            notes=fields.get("notes", ""),
        )
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in exc.message_dict.items())
        return State.REVIEW, f"Could not log it as it stands ({problems})."
    message.invitation = invitation
    return State.LOGGED, f"Logged as invitation {invitation.pk}."


def client_details(recognition):
    """What the mail says of the client beyond its name: a new client is made with these."""
    fields = recognition.fields
    return {"company": fields.get("company", ""), "email": fields.get("email", ""), "platform": recognition.platform}


def party(owner, recognition):
    """The client the mail is from, found or made (unsaved) as log_invitation would (client_for),
    looked up once for both the reminder check and the logging; None when the name or its details
    have a problem, which log_invitation then names by field."""
    errors = {}
    client = client_for(owner, recognition.fields.get("client"), errors=errors, **client_details(recognition))
    return None if errors else client


def earlier_invitation(owner, recognition, received, client):
    """The invitation this one repeats: the same job link, or the same platform, client and title lately."""
    same, url = repeats(recognition, received, client), recognition.fields.get("url")
    if not same:
        return None
    # No select_related("client"): only the one-line outcome shows the client, and the join cost
    # more to build than that one look-up (this runs for nearly every invitation mail).
    candidates = list(Invitation.objects.filter(same, owner=owner).order_by("-received_at")[:10])
    # The same link first: it names the job, where a client's name and a title only resemble it.
    by_link = [invitation for invitation in candidates if url and invitation.url == url]
    return (by_link or candidates or [None])[0]


def repeats(recognition, received, client):
    """What an invitation this mail repeats has in common with it (an empty Q: nothing to look for).

    `client`: the client of the name found (party()); one not saved yet has no invitations, so
    only a link can match.
    """
    fields = recognition.fields
    same = Q(url=fields["url"]) if fields.get("url") else Q()
    if client is not None and client.pk is not None and fields.get("title"):
        same |= Q(platform=recognition.platform, client=client, title__iexact=fields["title"],
                  received_at__gte=received - REMINDER_WINDOW)
    return same


def note_reminder(invitation, message, *, received, now):
    """One line in the invitation's notes: when the reminder came and what it said."""
    line = f"{received:%Y-%m-%d %H:%M} UTC, by e-mail: {message.subject or 'a reminder'}"
    notes = f"{invitation.notes}\n{line}".strip()
    if len(notes) <= NOTES:
        Invitation.objects.filter(pk=invitation.pk).update(notes=notes, updated_at=now)


def withdrawal(message, recognition, *, now):
    """Withdraw the open invitation the mail is about, if there is exactly one it can be."""
    invitation = withdrawn_invitation(message.owner, recognition)
    if invitation is None:
        return State.REVIEW, "A withdrawal, but no open invitation of yours matches it."
    withdraw(Invitation.objects.filter(pk=invitation.pk), now=now)
    message.invitation = invitation
    return State.LOGGED, f"The client withdrew: invitation {invitation.pk} marked withdrawn."


def withdrawn_invitation(owner, recognition):
    fields = recognition.fields
    open_ones = Invitation.objects.filter(owner=owner, platform=recognition.platform, status=Status.OPEN)
    for lookup in (
        {"url": fields.get("url")}, {"title__iexact": fields.get("title")},
        {"client__name__iexact": fields.get("client")}, {"client__company__iexact": fields.get("company")},
    ):
        if all(lookup.values()):
            candidates = list(open_ones.filter(**lookup)[:2])
            if len(candidates) == 1:
                return candidates[0]
    return None


def own_reply_to(message, outer, *, now):
    """(invitation, answer) when the user sent this message and it answers an invitation (replies.py)."""
    if not replies.from_owner(outer.sender, message.owner):
        return None
    return replies.notice(bytes(message.raw), owner=message.owner, now=now)


def own_reply(message, invitation, action):
    """The user's own answer to an invitation, Bcc'd to noghost (replies.py): noted, not logged."""
    message.invitation, message.found = invitation, {"kind": "reply", "answer": action or ""}
    said = {"accept": "recorded as accepted", "decline": "recorded as declined"}.get(
        action, "accepted or declined? The dashboard asks")
    return finish(message, State.NOT_INVITATION, f"Your reply to invitation {invitation.pk}: {said}.")


READ_FIELDS = ["state", "reason", "recogniser", "confidence", "found", "preview", "invitation"]


def finish(message, state, reason):
    message.state, message.reason = state, reason[:500]
    return message

