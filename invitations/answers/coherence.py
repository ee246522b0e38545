"""Does the kept text say the answer being recorded? (docs/design.md, rule 4)

Whatever text is in the box when the answer is saved is what the client reads. A text that
still gives the other answer in noghost's own words ("I have to decline this one" kept with
Accept) is refused; a decline with a busy period whose text no longer mentions the period is
warned about, since the client cannot plan around a date they were never told.
"""

from invitations.answers import composer
from invitations.answers.reply import Reply, draft_for

OTHER = {"accept": "decline", "decline": "accept"}
LABELS = {"accept": "Accept", "decline": "Decline"}
GIVES = {"accept": "accepts", "decline": "declines"}


def contradiction(invitation, reply, *, now):
    """The problem with a kept message that gives the other answer as noghost drafted it, or None."""
    other = OTHER.get(reply.action)
    text = composer.plain(reply.message or "")
    if other is None or not text:
        return None
    for pattern in draft_for(invitation, Reply(action=other), now=now).decisions:
        found = pattern.search(text)
        if found:
            return (f"The message still {GIVES[other]} (“{found.group()}”), as noghost drafted it for "
                    f"{LABELS[other]}, but your answer is {LABELS[reply.action]}. Press “Draft message” "
                    f"for a text that {GIVES[reply.action]}, or change the answer.")
    return None


def mentions_day(text, day, language="en"):
    """Whether `text` names `day` the way people write a date (11 December, Dec 11, 2026-12-11, 11/12),
    or as the draft in `language` writes it ("11 de diciembre", "11. Dezember")."""
    text = composer.plain(text)
    month, short = f"{day:%B}".lower(), f"{day:%b}".lower()
    written = composer.plain(composer.written_date(day, language)).rsplit(" ", 1)[0]  # without the year
    forms = [f"{day.day} {month}", f"{month} {day.day}", f"{day.day} {short}", f"{short} {day.day}", written,
             day.isoformat(), f"{day.day}/{day.month}", f"{day.month}/{day.day}", f"{day.day}.{day.month}."]
    return any(form in text for form in forms)


def busy_period_warning(reply, text, language="en"):
    """What to say when a decline states a busy period its kept text no longer mentions, else ""."""
    if reply.action != "decline" or reply.busy_until is None or mentions_day(text, reply.busy_until, language):
        return ""
    return (f"Your message does not say you are busy until {reply.busy_until:%-d %B %Y}, nor ask to reconnect "
            "after it, so the client cannot plan around it; noghost still reminds you to reconnect on that day.")
