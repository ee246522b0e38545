"""Drafting the words: declines that follow the etiquette, acceptances, reconnects.

Templates live under templates/messages/ (one folder per message, one file per channel), so the
wording is edited as text, not code. Every draft is for the user to edit and keep; nothing here
sends anything. Pure: no models are written and no clock is read.
"""

import re
import urllib.parse
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from invitations.models import Channel, Platform

# Marketplaces whose messages must not carry an e-mail address or a phone number.
MARKETPLACES = {Platform.UPWORK, Platform.FIVERR, Platform.TOPTAL, Platform.FREELANCER, Platform.LINKEDIN}

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, with the separators people put in phone numbers (not newlines).
PHONE_NUMBER = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{5,}\d(?!\w)")
NUMERIC_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


@dataclass(frozen=True)
class Draft:
    """One message in every form the user may send it: e-mail, platform message, phone call."""

    subject: str = ""
    email: str = ""
    platform: str = ""
    phone: str = ""
    advice: tuple = field(default_factory=tuple)

    def text_for(self, channel):
        """The draft for `channel`: talking points for a call or a meeting, else the written message."""
        return {
            Channel.EMAIL: self.email, Channel.PLATFORM: self.platform,
            Channel.PHONE: self.phone, Channel.IN_PERSON: self.phone,
        }.get(channel, self.email)


def default_channel(invitation):
    """Answer where the invitation came from: on its platform for a marketplace, else by e-mail."""
    return Channel.PLATFORM if invitation.platform in MARKETPLACES else Channel.EMAIL


def compose_decline(invitation, *, reason="", busy_until=None, suggest="", late=False, zone=None):
    """Thanks, a clear no, one honest sentence of reason, the busy period and a reconnect request,
    an optional suggestion of someone else, a courteous sign-off.

    `late`: an accepted interview cancelled less than a day ahead; the draft apologises once and
    the advice says to call.
    """
    context = _context(invitation, zone, reason=reason, busy_until=busy_until, suggest=suggest.strip(), late=late)
    advice = []
    if late:
        advice.append(
            "The interview is less than a day away: call them if you can, then confirm in writing."
        )
    if invitation.referred_by_id:
        advice.append(f"{invitation.referred_by.name} referred this client: tell them what happened.")
    return _draft("decline", context, advice)


def compose_accept(invitation, *, interview_at=None, zone=None):
    """A short yes that confirms the interview time."""
    return _draft("accept", _context(invitation, zone, interview_at=interview_at or invitation.interview_at), [])


def compose_reconnect(followup, *, zone=None):
    """"My project has finished; is your need still open, or is there something new?\""""
    invitation = followup.invitation
    client = followup.client or invitation.client
    context = {
        "greeting": greeting(client.name), "client": client, "invitation": invitation,
        "title": invitation.title if invitation else "", "busy_until": invitation.busy_until if invitation else None,
        "signature": signature_of(followup.owner),
    }
    return _draft("reconnect", context, [])


def greeting(name):
    """Whom to greet: a person's first name ("Maya"), or the whole name of a company."""
    words = name.split()
    return words[0] if len(words) == 2 and words[0].isalpha() else name


def spoken_time(moment, zone):
    """A moment as a message says it, in the user's zone: "Monday 23 November at 10:00 CET"."""
    local = moment.astimezone(zone) if zone else moment
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M %Z}".strip()


def signature_of(user):
    return user.profile.signature or user.get_full_name() or user.get_username()


def contact_details(text):
    """E-mail addresses and phone numbers in `text` (a platform message must carry neither)."""
    found = EMAIL_ADDRESS.findall(text or "")
    for match in PHONE_NUMBER.finditer(text or ""):
        number = match.group().strip(" .-")
        if sum(c.isdigit() for c in number) >= 7 and not NUMERIC_DATE.fullmatch(number):
            found.append(number)
    return found


def platform_warning(text, channel):
    """What to fix before pasting `text` into a platform, or "" when there is nothing."""
    if channel != Channel.PLATFORM:
        return ""
    details = contact_details(text)
    if not details:
        return ""
    return (
        "Platform messages must not carry an e-mail address or phone number; remove "
        + ", ".join(details) + " before you send it."
    )


def mailto_link(address, subject="", body=""):
    """A mailto: URL that opens the user's mail program to `address`, with the message filled in.

    Every mailto: link noghost shows is built here. The address is percent-encoded whole (only
    its @ kept): Django's validator accepts `x?bcc=spy%40evil.example&subject=hi@bobco.example`,
    which written as typed would add a Bcc; encoded, a mail program reads it as one address.
    """
    parts = {name: value for name, value in (("subject", subject), ("body", body)) if value}
    query = urllib.parse.urlencode(parts, quote_via=urllib.parse.quote)
    return f"mailto:{urllib.parse.quote(address, safe='@')}" + (f"?{query}" if query else "")


def _context(invitation, zone, **extra):
    interview_at = extra.pop("interview_at", invitation.interview_at)
    return {
        "greeting": greeting(invitation.client.name), "client": invitation.client, "invitation": invitation,
        "title": invitation.title, "platform": invitation.get_platform_display(),
        "referrer": invitation.referred_by.name if invitation.referred_by_id else "",
        "signature": signature_of(invitation.owner), "interview_at": spoken_time(interview_at, zone) if interview_at else "", **extra,
    }


def _draft(name, context, advice):
    def render(part):
        return tidy(render_to_string(f"messages/{name}/{part}.txt", context))

    return Draft(
        subject=" ".join(render("subject").split()), email=render("email"), platform=render("platform"),
        phone=render("phone"), advice=tuple(advice),
    )


def tidy(text):
    """Template output as a person would type it: no trailing spaces, one blank line between paragraphs."""
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
