"""Contra: project inquiries from clients; payments are not invitations."""

from invitations.intake.recognisers.base import Wording, patterns

WORDING = Wording(
    name="contra", platform="contra", senders=("contra.com",),
    invitation=patterns(r"sent you a project inquiry", r"^Subject: New project inquiry from"),
    withdrawal=patterns(r"inquiry (was|has been) (withdrawn|closed|cancelled)"),
    other=(
        ("payment notice", *patterns(r"^Subject: You've been paid", r"paid your invoice")),
        ("newsletter", *patterns(r"^Subject: (The )?Contra (Weekly|Digest)")),
    ),
    client=patterns(r"^Subject: New project inquiry from (?P<value>.+)$", r"^(?P<value>[^\n(]+?) \([^)\n]+\) sent you a project"),
    company=patterns(r"\((?P<value>[^)\n]+)\) sent you a project inquiry"),
    title=patterns(r"^Project:\s*(?P<value>.+)$"),
    deadline=patterns(r"^Reply by (?P<value>[^\n]+)$"),
    message=patterns(r"^Message:\s*(?P<value>.+)$"),
    url=r"contra\.com/inbox/",
)
