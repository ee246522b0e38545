"""Reading one e-mail as it arrived: its headers and its words, whatever its MIME, charset or damage.

Python's email package (policy=default) does the parsing. Around it, everything that can go
wrong with mail from the wild is caught here, so what comes out is always a Reading: a header
that cannot be decoded falls back to its raw text, an unknown charset to UTF-8 with
replacements, a broken MIME boundary or a missing header block to the body as it stands (each
noted in `problems`). HTML is turned into text by htmltext.py, which fetches nothing.
"""

import datetime as dt
import email
import email.header
import email.parser
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from email import policy

from invitations.intake.htmltext import html_to_text, text_links

UTC = dt.timezone.utc
MAX_TEXT = 100_000  # characters of body text read: a notification is a few thousand
MAX_ID = 255  # InboundMessage.message_id
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The headers read (each parsed by the email package only when asked for: parsing all of them,
# Received and DKIM lines included, would cost more than everything else here).
WANTED = ("from", "subject", "date", "message-id", "authentication-results", "list-unsubscribe", "precedence")
BROKEN_MIME = {"StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect", "NoBoundaryInMultipartDefect",
               "MultipartInvariantViolationDefect", "InvalidMultipartContentTransferEncodingDefect"}


@dataclass
class Reading:
    """What one message says: who from, about what, when, and its text and links."""

    sender: str = ""  # the address, lower case
    sender_name: str = ""
    subject: str = ""
    sent_at: dt.datetime | None = None  # the Date header, in UTC
    message_id: str = ""
    text: str = ""
    links: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)  # the WANTED ones present: name -> decoded value, the first
    attached: list = field(default_factory=list)  # message/rfc822 parts, as email Messages
    problems: list = field(default_factory=list)  # what was wrong with it, in plain words


def clean(text, limit=None):
    """Text safe to store and show: no NULs or other control characters (PostgreSQL refuses NUL),
    one kind of line end, non-breaking spaces as spaces, at most `limit` characters."""
    text = CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    return text[:limit] if limit else text


def one_line(text, limit):
    """A header value on one line (a folded or 2,000-line subject included), at most `limit` long."""
    return " ".join(clean(text).split())[:limit]


def read(raw):
    """A Reading of the raw bytes of one RFC 5322 message; never raises on the message's content."""
    return identified(read_message(email.message_from_bytes(raw, policy=policy.default)), raw)


def read_headers(raw):
    """A Reading of the headers alone (no body parsed): what storing a message needs, quickly."""
    message = email.parser.BytesHeaderParser(policy=policy.default).parsebytes(raw)
    return identified(Reading(**header_fields(decoded_headers(message))), raw)


def identified(reading, raw):
    """`reading` with a Message-ID that fits the column: a digest of the raw bytes when there is none."""
    if not reading.message_id:
        reading.message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    elif len(reading.message_id) > MAX_ID:
        reading.message_id = "sha256:" + hashlib.sha256(reading.message_id.encode()).hexdigest()
    return reading


def read_message(message):
    """A Reading of a parsed message (the outer one, or one attached as message/rfc822)."""
    reading = Reading(**header_fields(decoded_headers(message)))
    plain, html = [], []
    walk(message, plain, html, reading.attached, reading.problems)
    text = "\n\n".join(plain)
    links = text_links(text)
    if html:
        html_text, html_links = html_to_text("\n".join(html))
        text = text or html_text
        links += [link for link in html_links if link not in links]
    reading.text, reading.links = clean(text, MAX_TEXT).strip(), links
    if not {"from", "subject", "date"} & set(reading.headers):
        reading.problems.append("it has no headers (no sender, subject or date)")
    return reading


def header_fields(headers):
    """The Reading fields the headers give."""
    name, address = email.utils.parseaddr(headers.get("from", ""))
    return {
        "sender": one_line(address, 300).lower(), "sender_name": one_line(name, 200),
        "subject": one_line(headers.get("subject", ""), 2000), "sent_at": header_date(headers.get("date", "")),
        "message_id": one_line(headers.get("message-id", ""), 10_000).strip("<>"), "headers": headers,
    }


def decoded_headers(message):
    """Each WANTED header's first value, RFC 2047 words decoded; one that will not decode stays raw."""
    present = {str(name).strip().lower(): value for name, value in reversed(list(message.raw_items()))}
    return {key: decode_header(present[key]) for key in WANTED if key in present}


def decode_header(raw_value):
    """A header's text from its raw value: 8-bit bytes read as UTF-8 (bad ones replaced), encoded
    words decoded. (email.header's decoder, not the policy's header objects: those parse every
    address and date in full, which costs more than the rest of reading a message, and crash on
    some malformed values.)"""
    value = str(raw_value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in value:
        try:
            value = str(email.header.make_header(email.header.decode_header(value)))
        except Exception:  # a malformed encoded word stays as it was written
            pass
    return clean(value)


def header_date(value):
    """The Date header as an aware UTC datetime, or None when it is missing or nonsense."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": the zone is unknown, the time is UTC (RFC 5322)
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def walk(part, plain, html, attached, problems):
    """Collect the text and HTML parts meant to be read, and the attached messages, depth first."""
    note_defects(part, problems)
    content_type = part.get_content_type()  # parses the header: asked once
    if content_type == "message/rfc822":
        attached.extend(p for p in part.get_payload() if isinstance(p, email.message.Message))
        return
    if part.is_multipart():
        for child in part.get_payload():
            walk(child, plain, html, attached, problems)
        return
    attachment = "content-disposition" in part and part.get_content_disposition() == "attachment"
    if attachment or not content_type.startswith("text/"):
        return
    text = part_text(part, problems)
    (html if content_type == "text/html" else plain).append(text)


def note_defects(part, problems):
    """A broken MIME structure, in plain words, once."""
    broken = any(type(defect).__name__ in BROKEN_MIME for defect in getattr(part, "defects", []))
    if broken and "its MIME structure is broken" not in problems:
        problems.append("its MIME structure is broken")


def part_text(part, problems):
    """A text part's words: transfer encoding undone, its charset decoded (an unknown or lying
    charset gives UTF-8 with replacement characters, never an error)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        pass
    payload = part.get_payload(decode=True) or b""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "replace")
    problems.append(f"a part's charset ({part.get_content_charset() or 'none'}) could not be used")
    return payload.decode("utf-8", "replace")
