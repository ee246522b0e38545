"""Drafting the words: declines that follow the etiquette, acceptances, reconnects, a word to a referrer.

Templates live under templates/messages/ (one folder per message, one file per channel), so the
wording is edited as text, not code. Every draft is for the user to edit and keep; nothing here
sends anything. Pure: no models are written and no clock is read.
"""

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, translation

from invitations.answers.wording import own_parts
from invitations.models import Channel, DeclineReason, Platform, Status

# Marketplaces whose messages must not carry an e-mail address or a phone number.
MARKETPLACES = {Platform.UPWORK, Platform.FIVERR, Platform.TOPTAL, Platform.FREELANCER, Platform.LINKEDIN}

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, with the separators people put in phone numbers (not newlines).
PHONE_NUMBER = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{5,}\d(?!\w)")
NUMERIC_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

# The messages that give an answer, each with a decision.txt: the sentence that gives it.
ANSWERS = ("accept", "decline")
# Stands in for the interview time while a decision is turned into a pattern (decision_patterns).
TIME_MARK = "\ue000"
LATE_RECONNECT = dt.timedelta(days=3)  # reconnecting later than this after the busy period apologises


@dataclass(frozen=True)
class Draft:
    """One message in every form the user may send it: e-mail, platform message, call, meeting.

    `decisions`: how this draft says its answer ("I have to decline this one"), as patterns over
    plain() text, for each channel and with or without an interview time: a kept text matching
    the other answer's says the opposite of what would be recorded (answers/coherence.py).
    """

    subject: str = ""
    email: str = ""
    platform: str = ""
    phone: str = ""
    in_person: str = ""
    advice: tuple = field(default_factory=tuple)
    decisions: tuple = field(default_factory=tuple)

    def text_for(self, channel):
        """The draft for `channel`: talking points for a call, notes for a meeting, else the written message."""
        return {
            Channel.EMAIL: self.email, Channel.PLATFORM: self.platform,
            Channel.PHONE: self.phone, Channel.IN_PERSON: self.in_person,
        }.get(channel, self.email)


def default_channel(invitation):
    """Answer where the invitation came from: on its platform for a marketplace, else by e-mail."""
    return Channel.PLATFORM if invitation.platform in MARKETPLACES else Channel.EMAIL


def compose_decline(invitation, *, reason="", busy_until=None, suggest="", late=False, zone=None, wordings=None):
    """Thanks, a clear no, one honest sentence of reason, the busy period and a reconnect request,
    an optional suggestion of someone else, and the door left open.

    Declining an accepted interview is a cancellation: no "thank you for thinking of me", an
    apology and an offer to find another time. `late`: less than a day ahead; the apology says
    so and the advice says to call. Written in the client's language, with the user's own wording
    for that language where they gave one (`wordings`: their Wording rows, else read here).
    """
    cancelling = late or invitation.status == Status.ACCEPTED
    language = invitation.client.draft_language
    context = _context(invitation, zone, language, reason=reason, busy_until=busy_until, suggest=suggest.strip(),
                       late=late, cancelling=cancelling, busy_date=written_date(busy_until, language))
    advice = []
    if late:
        advice.append(
            "The interview is less than a day away: call them if you can, then confirm in writing."
        )
    if reason == DeclineReason.BUSY and not busy_until:
        advice.append("Say until when you are busy (your last busy day, or a period): the client can plan "
                      "around it, and noghost reminds you to reconnect then.")
    if invitation.referred_by_id:
        advice.append(f"{invitation.referred_by.name} referred this client: tell them what happened.")
    return _draft("decline", context, advice, owner=invitation.owner, language=language, wordings=wordings)


def compose_accept(invitation, *, interview_at=None, zone=None, patience=False, wordings=None):
    """A short yes that confirms the interview time; `patience`: thank them for waiting (a late answer)."""
    language = invitation.client.draft_language
    context = _context(invitation, zone, language, interview_at=interview_at or invitation.interview_at,
                       patience=patience, changed_mind=invitation.status == Status.DECLINED)
    return _draft("accept", context, [], owner=invitation.owner, language=language, wordings=wordings)


def compose_reconnect(followup, *, zone=None, today=None, wordings=None):
    """Getting back in touch as promised when the busy period ends: is their need still open?

    `today` (the user's local date): later than LATE_RECONNECT after the busy period, it apologises
    for the delay instead of pretending to be on time.
    """
    invitation = followup.invitation
    client = followup.client or invitation.client
    busy_until = invitation.busy_until if invitation else None
    language = client.draft_language
    context = {
        "greeting": greeting(client.name), "client": client, "invitation": invitation,
        "title": invitation.title if invitation else "", "busy_date": written_date(busy_until, language),
        "late": bool(today and busy_until and today > busy_until + LATE_RECONNECT),
        "signature": signature_of(followup.owner),
    }
    return _draft("reconnect", context, [], owner=followup.owner, language=language, wordings=wordings)


def compose_referrer_update(invitation, *, zone=None, wordings=None):
    """Thanks to whoever referred the client, in the referrer's language, and what came of it (the
    answer as it stands)."""
    referrer = invitation.referred_by
    context = _context(invitation, zone, referrer.draft_language,
                       busy_date=written_date(invitation.busy_until, referrer.draft_language))
    context.update(greeting=greeting(referrer.name), referrer=referrer.name)
    return _draft("referrer", context, [], owner=invitation.owner, language=referrer.draft_language,
                  wordings=wordings)


def greeting(name):
    """Whom to greet: a person's first name ("Maya"), or the whole name of a company."""
    words = name.split()
    return words[0] if len(words) == 2 and words[0].isalpha() else name


def spoken_time(moment, zone):
    """A moment as a message says it, in the user's zone and the active language:
    "Monday 23 November at 10:00 CET", "lunes 23 de noviembre a las 10:00 CET"."""
    local = moment.astimezone(zone) if zone else moment
    day = formats.date_format(local, translation.pgettext("weekday and date", "l j F"))
    return translation.gettext("%(day)s at %(time)s") % {"day": day, "time": f"{local:%H:%M %Z}".strip()}


def written_date(day, language):
    """A last busy day as a letter in `language` writes it: "11 December 2026", "11. Dezember 2026"."""
    if day is None:
        return ""
    with translation.override(language):
        return formats.date_format(day, translation.pgettext("busy until", "j F Y"))


def signature_of(user):
    """The lines under a draft's closing: the signature from Settings, else the user's name."""
    return user.profile.sign_off


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


def _context(invitation, zone, language, **extra):
    """What an invitation's templates read, the interview time spoken in `language`."""
    interview_at = extra.pop("interview_at", invitation.interview_at)
    with translation.override(language):
        spoken = spoken_time(interview_at, zone) if interview_at else ""
    return {
        "greeting": greeting(invitation.client.name), "client": invitation.client, "invitation": invitation,
        "title": invitation.title, "platform": invitation.get_platform_display(),
        "referrer": invitation.referred_by.name if invitation.referred_by_id else "",
        "signature": signature_of(invitation.owner), "interview_at": spoken, **extra,
    }


def _draft(name, context, advice, *, owner, language, wordings=None):
    """Every form of message `name` in `language`, with the user's own parts of it (`wordings`, else theirs)."""
    values = {"first_name": context["greeting"], "title": context["title"], "busy_until": context.get("busy_date", ""),
              "suggested": context.get("suggest", ""), "referrer": context.get("referrer", ""),
              "client_name": context["client"].name, "interview_at": context.get("interview_at", ""),
              "your_name": owner.profile.name}
    own = own_parts(owner, language, name, values, wordings, reason=context.get("reason", ""))

    def render(part, **extra):
        return tidy(render_to_string(f"messages/{name}/{part}.txt", {**context, **extra}))

    with translation.override(language):
        return Draft(
            subject=" ".join(render("subject").split()), email=render("email", own=own.get("email", {})),
            platform=render("platform", own=own.get("platform", {})), phone=render("spoken"),
            in_person=render("spoken", meeting=True), advice=tuple(advice),
            decisions=decision_patterns(name, context) if name in ANSWERS else (),
        )


def decision_patterns(name, context):
    """messages/<name>/decision.txt (the sentence that gives the answer), written and spoken, with and
    without an interview time, as patterns over plain() text: any time matches where the time goes."""
    patterns = []
    for spoken in (False, True):
        for moment in (TIME_MARK, ""):
            text = plain(render_to_string(f"messages/{name}/decision.txt",
                                          {**context, "spoken": spoken, "interview_at": moment}))
            if text:
                patterns.append(".+?".join(re.escape(part) for part in text.split(TIME_MARK.lower())))
    return tuple(re.compile(pattern) for pattern in dict.fromkeys(patterns))


def plain(text):
    """Text as compared, not as shown: one case, straight quotes, single spaces."""
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.lower().split())


def tidy(text):
    """Template output as a person would type it: no trailing spaces, one blank line between paragraphs."""
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
