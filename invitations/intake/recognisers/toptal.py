"""Toptal: interview requests from clients (through a talent matcher), their reminders, timesheets."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="toptal", platform="toptal", senders=("toptal.com", "toptal.io"),
    invitation=patterns(r"would like to interview you", r"^Subject: Interview request:",
                        r"interview request awaiting your response"),
    withdrawal=patterns(r"(engagement|interview request) (was|has been) (cancelled|withdrawn|closed)"),
    other=(
        ("timesheet reminder", *patterns(r"^Subject: Reminder: submit your timesheet", r"timesheet .* submitted")),
        ("payment notice", *patterns(r"^Subject: (Payment|Your payment)")),
    ),
    client=patterns(r"^Client contact:\s*(?P<value>[^,\n]+)"),
    company=patterns(r"^Subject: Interview request: .+? at (?P<value>[^\n]+)$", r"^(?P<value>[^\n]+?) would like to interview you",
                     r"^(?P<value>[^\n]+?) is still waiting for your answer"),
    title=patterns(r"^Subject: Interview request: (?P<value>.+?) at [^\n]+$", r"for the (?P<value>[^\n]+?) engagement"),
    deadline=patterns(r"confirm your availability by (?P<value>[^\n]+?)\.?$"),
    message=patterns(r"^Notes from your talent matcher:" + PARAGRAPH),
    url=r"toptal\.com/talent/engagements/",
)
