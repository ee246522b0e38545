"""The user's own wording of the drafts' parts (docs/design.md, rule 13), filled safely.

A Wording's text is a string.Template: `$first_name` and its kin (PLACEHOLDERS) are the only
names it can reach; it is never rendered as a Django template, so a user's text runs no tag or
filter and reads no variable. check_wording() names what a text may not hold before it is saved.
"""

import string

from invitations.models import Wording
from invitations.models.wording import PARTS, kind_of

PLACEHOLDERS = {
    "first_name": "the first name (or the company's name) of whom the draft is to: the client, or the referrer",
    "title": "the invitation's title",
    "busy_until": "your last busy day, written for the client's language",
    "suggested": "the person you suggest instead",
    "referrer": "who referred the client",
    "client_name": "the client's whole name",
    "interview_at": "the interview's day and time, written for the client's language",
    "your_name": "your name",
}
CHANNELS = ("email", "platform")  # the written drafts; talking points stay noghost's


def check_wording(text):
    """What makes `text` unusable as a wording (an unknown placeholder, a stray `$` or `${`), or ""."""
    template = string.Template(text)
    for match in template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if match.group("invalid") is not None:
            at = match.start("invalid")
            return (f"A “$” at character {at + 1} starts no placeholder (“{text[at:at + 12]}”); "
                    "write $$ for a dollar sign, or one of: " + known() + ".")
        if name is not None and name not in PLACEHOLDERS:
            return f"“${name}” is not a placeholder noghost fills; use one of: {known()}."
    return ""


def known():
    return ", ".join(f"${name}" for name in PLACEHOLDERS)


def fill(text, values):
    """`text` with its placeholders filled from `values` (checked texts only: check_wording)."""
    return string.Template(text).safe_substitute({name: values.get(name, "") for name in PLACEHOLDERS})


def saved_wordings(owner):
    """The owner's Wording rows in every language, read once per user object: a request, an
    import of many lines or a run drafts many answers for one user, and each draft needs them."""
    if getattr(owner, "_saved_wordings", None) is None:
        owner._saved_wordings = list(Wording.objects.filter(owner=owner))
    return owner._saved_wordings


def own_parts(owner, language, kind, values, wordings=None, reason=""):
    """The user's parts of message `kind` for each written channel, filled: {"email": {"opening": ...}, ...}.

    A part worded for one channel wins over the same part worded for both. `wordings`: the
    user's Wording rows (any language), when the caller has them already (the preview).
    """
    rows = wordings if wordings is not None else saved_wordings(owner)
    found = {(row.part, row.channel): row.text for row in rows if row.language == language}
    parts = {}
    for channel in CHANNELS:
        own = {}
        for part, key in part_keys(kind, reason):
            text = found.get((part, channel), found.get((part, "")))
            if text:
                own[key] = fill(text, values)
        parts[channel] = own
    return parts


def part_keys(kind, reason=""):
    """(Wording.part, the name its template reads) for message `kind`; a decline reads one reason's."""
    if kind == "decline":
        return [("opening", "opening"), (f"reason:{reason}", "reason"), ("busy", "busy"),
                ("suggestion", "suggestion"), ("sign_off", "sign_off")]
    return [(part, part.split(":", 1)[1]) for part, _label in PARTS if kind_of(part) == kind]
