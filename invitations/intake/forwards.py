"""Forwarded mail: the platform's e-mail inside the one the user forwarded from their own mailbox.

Forwarding is the common way in, so the original is what gets recognised: a message/rfc822
attachment ("forward as attachment"), or an inline forward as Gmail, Outlook, Apple Mail and
Thunderbird write it, a marker line then the original's From/Date/Subject lines. Up to three
levels are unwrapped (a forward of a forward). Dates in an inline forward are written for people
("Mon, Nov 16, 2026 at 9:12 AM"); one without a zone is in the forwarder's, the user's own.
"""

import re
from dataclasses import replace

from invitations.clock import parse_written
from invitations.intake.htmltext import text_links
from invitations.intake.reading import clean, header_date, one_line, read_message

DEPTH = 3
QUOTE = r"^[ \t]*(?:>[ \t]?)*"
MARKER = re.compile(
    QUOTE + r"(?:-{5,}\s*(?:Forwarded message|Original Message|Forwarded Message|Weitergeleitete Nachricht|"
    r"Message transf[ée]r[ée]|Mensaje reenviado|Doorgestuurd bericht)\s*-{5,}|_{20,}|Begin forwarded message:|"
    r"Anfang der weitergeleiteten Nachricht:|D[ée]but du message r[ée]exp[ée]di[ée]\s*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
PSEUDO_HEADER = re.compile(QUOTE + r"\*?([A-Za-zÀ-ÿ-]+)\*?:\*?[ \t]*(.*)$")
KEYS = {
    "from": "from", "von": "from", "de": "from",
    "date": "date", "sent": "date", "datum": "date", "gesendet": "date", "envoyé": "date", "enviado": "date",
    "subject": "subject", "betreff": "subject", "objet": "subject", "asunto": "subject", "onderwerp": "subject",
}
ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def original(reading, zone):
    """The innermost forwarded original of `reading` (a Reading), or None when it is no forward."""
    found = None
    for _ in range(DEPTH):
        inner = attached(reading) or inline(reading, zone)
        if inner is None:
            break
        found = reading = inner
    return found


def attached(reading):
    """The first message/rfc822 attachment, read."""
    return read_message(reading.attached[0]) if reading.attached else None


def inline(reading, zone):
    """The original quoted after a forward marker, with the sender, date and subject its lines give."""
    marker = MARKER.search(reading.text)
    if marker is None:
        return None
    lines = reading.text[marker.end():].split("\n")
    fields, rest = pseudo_headers(lines)
    if "from" not in fields:
        return None
    body = unquote(rest)
    name, address = sender(fields["from"])
    return replace(
        reading, sender=address, sender_name=name, subject=one_line(fields.get("subject", ""), 2000),
        sent_at=forwarded_date(fields.get("date", ""), zone) or reading.sent_at, text=body,
        links=[*text_links(body), *(link for link in reading.links if link in body)], attached=[],
        headers={"from": fields["from"]},
    )


def pseudo_headers(lines):
    """The From:/Date:/Subject: lines after the marker (blank lines before them skipped), and the
    lines after the blank line that ends them."""
    fields, index = {}, 0
    while index < len(lines) and not unquote_line(lines[index]).strip():
        index += 1
    while index < len(lines):
        line = unquote_line(lines[index])
        if not line.strip():
            break
        match = PSEUDO_HEADER.match(line)
        key = KEYS.get(match.group(1).lower()) if match else None
        if key and key not in fields:
            fields[key] = match.group(2).strip().strip("*").strip()
        index += 1
    return fields, lines[index:]


def unquote_line(line):
    return re.sub(QUOTE, "", line, count=1)


def unquote(lines):
    """The quoted original without its "> " prefixes."""
    return clean("\n".join(unquote_line(line) for line in lines)).strip()


def sender(value):
    """(name, address) from "Upwork <donotreply@upwork.com>", "Upwork [mailto:...]" or a bare address."""
    found = ADDRESS.search(value)
    address = found.group().lower() if found else ""
    name = re.split(r"[<\[]", value, maxsplit=1)[0].replace(address, "").strip(" \t\"'*")
    return one_line(name, 200), one_line(address, 300)


def forwarded_date(value, zone):
    """A forward's Date/Sent line as UTC: RFC 5322 first, then as people write it."""
    if re.search(r"[+-]\d{4}\b", value):
        moment = header_date(value)
        if moment is not None:
            return moment
    return parse_written(value, zone)
