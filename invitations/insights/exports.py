"""CSV exports: the user's invitations and the dashboard's figures, safe to open in a spreadsheet."""

import csv
import re

from invitations.clock import format_local

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (CSV injection); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a line on any of these (many European locales use ";"), and trim the
# spaces around what it splits off: after each of them, as at the start, a formula is disarmed.
SEPARATORS = ",;\t\r\n"
PIECE_STARTS_A_FORMULA = re.compile(rf"(?:^|(?<=[{SEPARATORS}]))(?=[ {SEPARATORS}]*[=+\-@])")

INVITATION_HEADER = [
    "received", "reply by", "client", "company", "title", "platform", "status", "responded", "channel",
    "decline reason", "busy until", "referred by", "link", "notes",
    # What an import needs to rebuild the invitation (imports/): added at the end, so the columns
    # people's spreadsheets already point at stay where they were.
    "id", "client email", "client phone", "message", "interview at", "time zone",
]


def neutralise(value):
    """`value` as a spreadsheet-safe string: a would-be formula gets a leading apostrophe, at the
    start and after every separator a spreadsheet may split the cell on ("x;=cmd" -> "x;'=cmd")."""
    text = PIECE_STARTS_A_FORMULA.sub("'", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A write-only file that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def csv_lines(rows):
    """Encode rows (iterables of cells) as CSV lines, one at a time, every cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def invitation_rows(invitations, zone):
    """The header, then one row per invitation (times in the user's zone), streamed from the DB."""
    yield INVITATION_HEADER
    def when(moment):
        return format_local(moment, zone) if moment else ""

    rows = invitations.select_related("client", "referred_by").order_by("received_at", "pk")
    for inv in rows.iterator(chunk_size=2000):
        yield [
            when(inv.received_at), when(inv.reply_by), inv.client.name, inv.client.company, inv.title,
            inv.get_platform_display(), inv.get_status_display(), when(inv.responded_at),
            inv.get_response_channel_display() if inv.response_channel else "",
            inv.get_decline_reason_display() if inv.decline_reason else "",
            inv.busy_until.isoformat() if inv.busy_until else "",
            inv.referred_by.name if inv.referred_by else "", inv.url, inv.notes,
            inv.pk, inv.client.email, inv.client.phone, inv.response_message, when(inv.interview_at), zone.key,
        ]


def analytics_rows(learned):
    """metrics.learn() as (figure, label, value) rows: one table a spreadsheet can pivot."""
    yield ["figure", "label", "value"]
    for _, label, n in learned["pipeline"]:
        yield ["status", label, n]
    for week in learned["weeks"]:
        yield ["received in week", week["week"].isoformat(), week["received"]]
        yield ["counted in week", week["week"].isoformat(), week["counted"]]
        yield ["answered in time in week", week["week"].isoformat(), week["in_time"]]
    in_time, counted, rate = learned["reply_rate"]
    yield ["answered within the window", "period", f"{rate:.4f}" if rate is not None else ""]
    median = learned["median_answer"]
    yield ["median time to answer (hours)", "period", f"{median.total_seconds() / 3600:.2f}" if median else ""]
    for _, label, n in learned["platforms"]:
        yield ["platform", label, n]
    for month, n in learned["months"]:
        yield ["month", month.strftime("%Y-%m"), n]
    for _, label, n in learned["reasons"]:
        yield ["decline reason", label, n]
    yield ["reconnects due", "period", learned["reconnects"]["due"]]
    yield ["reconnects made", "period", learned["reconnects"]["made"]]
    yield ["declined clients", "period", learned["came_back"]["declined"]]
    yield ["declined clients who came back", "period", learned["came_back"]["returned"]]
