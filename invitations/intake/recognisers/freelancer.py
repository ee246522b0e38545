"""Freelancer.com: invitations to bid, closed projects, recommended-project digests."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="freelancer", platform="freelancer", senders=("freelancer.com",),
    invitation=patterns(r"has invited you to bid", r"^Subject: You have been invited to bid"),
    withdrawal=patterns(r"has closed the project", r"invitation to bid has been withdrawn", r"^Subject: Project closed:"),
    other=(
        ("job alert", *patterns(r"^Subject: Recommended projects", r"projects we think you'd be great at")),
        ("payment notice", *patterns(r"^Subject: (Payment|Milestone) (received|released)")),
    ),
    client=patterns(r"^(?P<value>[^\n(]+?) \([^)\n]+\) has invited you to bid", r"^(?P<value>[^\n(]+?) has invited you to bid"),
    company=patterns(r"\((?P<value>[^)\n]+)\) has invited you to bid"),
    title=patterns(r"invited you to bid on the project \"(?P<value>[^\"]+)\"", r"has closed the project \"(?P<value>[^\"]+)\"",
                   r"^Subject: You have been invited to bid on (?P<value>.+)$"),
    deadline=patterns(r"Bidding ends in (?P<value>\d+ (?:days?|hours?))"),
    message=patterns(r"^Project description:" + PARAGRAPH),
    url=r"freelancer\.com/projects/",
)
