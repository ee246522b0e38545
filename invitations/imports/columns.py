"""Reading a CSV file and deciding which of its columns holds what.

noghost's own export (insights/exports.py) is recognised by its header and maps itself; any other
CSV (a spreadsheet kept by hand, a job tracker's export) gets a guessed mapping from common column
names, which the user checks and corrects before anything is read as data.
"""

import csv
import io

from invitations.insights.exports import FORMULA_STARTS, INVITATION_HEADER
from invitations.text import fold

# The fields an import fills, each with the export's header name first, then names other files use.
FIELDS = {
    "id": ("id", "noghost id"),
    "client": ("client", "client name", "name", "contact", "customer", "company name"),
    "company": ("company", "organisation", "organization", "employer"),
    "email": ("client email", "email", "e-mail", "contact email"),
    "phone": ("client phone", "phone", "telephone", "phone number"),
    "title": ("title", "job", "job title", "project", "position", "role", "subject"),
    "platform": ("platform", "source", "site", "board"),
    "received": ("received", "received at", "date", "date received", "date applied", "applied", "invited", "invited on",
                 "created"),
    "reply_by": ("reply by", "deadline", "respond by", "reply-by", "due"),
    "status": ("status", "stage", "state"),
    "responded": ("responded", "responded at", "answered", "answered on", "response date"),
    "channel": ("channel", "answered via", "response channel"),
    "reason": ("decline reason", "reason", "rejection reason"),
    "busy_until": ("busy until", "free from"),
    "message": ("message", "response message", "response", "reply"),
    "interview_at": ("interview at", "interview", "interview time", "interview date"),
    "referred_by": ("referred by", "referrer", "referral", "referred"),
    "url": ("link", "url", "job url", "job link", "posting"),
    "notes": ("notes", "note", "comments", "comment", "description"),
    "zone": ("time zone", "timezone", "tz"),
}
LABELS = {
    "id": "noghost id (matches an invitation already here)", "client": "Client", "company": "Company",
    "email": "Client e-mail", "phone": "Client phone", "title": "Title", "platform": "Platform",
    "received": "Received", "reply_by": "Reply by", "status": "Status", "responded": "Answered at",
    "channel": "Answered via", "reason": "Decline reason", "busy_until": "Busy until", "message": "Message sent",
    "interview_at": "Interview at", "referred_by": "Referred by", "url": "Link", "notes": "Notes",
    "zone": "Time zone of the times (else yours)",
}
REQUIRED = ("client",)
DELIMITERS = (",", ";", "\t")  # the first wins a tie: a one-column file is read with commas
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000


class UnreadableFile(ValueError):
    """The file is not a CSV noghost can read: the message says why, for the user."""


def decode(data):
    """The text of an uploaded file: UTF-8 (with or without a BOM), else Windows-1252 (old Excel)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.")
    if b"\x00" in data:
        raise UnreadableFile("This is not a text file (it has NUL bytes); export it as CSV first.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(text):
    """(header, rows): every row a list of cells, padded to the header's width.

    The separator is the one the header line uses most: commas, or the semicolons of a spreadsheet
    saved where the comma is the decimal sign, or tabs.
    """
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UnreadableFile("The file is empty.")
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows; split it.")
    header = [cell.strip() for cell in rows[0]]
    width = len(header)
    return header, [row + [""] * (width - len(row)) for row in rows[1:]]


def guess_mapping(header):
    """{field: header name} for each field a column's name suggests (first match wins)."""
    names = {fold(name): name for name in reversed(header)}
    mapping = {}
    for field, synonyms in FIELDS.items():
        for synonym in synonyms:
            if fold(synonym) in names and names[fold(synonym)] not in mapping.values():
                mapping[field] = names[fold(synonym)]
                break
    if "client" not in mapping and "company" in mapping:  # a tracker's "Company" is who invited
        mapping["client"] = mapping.pop("company")
    return mapping


def is_noghost_export(header):
    """True for a header that is noghost's own export (a mapping is then needed from nobody)."""
    return set(INVITATION_HEADER) <= set(header)


def mapping_errors(mapping, header):
    """Problems with a chosen mapping, by field."""
    errors = {}
    for field in REQUIRED:
        if not mapping.get(field):
            errors[field] = [f"Choose the column that holds the {LABELS[field].lower()}."]
    seen = {}
    for field, column in mapping.items():
        if column and column not in header:
            errors[field] = [f"The file has no column “{column}”."]
        elif column and column in seen:
            errors[field] = [f"“{column}” is the {LABELS[seen[column]].lower()} already."]
        seen.setdefault(column, field)
    return errors


def restore_cell(text):
    """A cell as it was before the export guarded it: "'=SUM(1)" was "=SUM(1)" (exports.neutralise)."""
    text = text.strip("\ufeff")
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
