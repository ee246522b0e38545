"""Guru: invitations to quote on a job, and employers withdrawing them."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="guru", platform="guru", senders=("guru.com",),
    invitation=patterns(r"invited you to quote", r"^Subject: You've been invited to quote"),
    withdrawal=patterns(r"has withdrawn (their|the|its) invitation", r"^Subject: Job invitation withdrawn"),
    other=(
        ("job alert", *patterns(r"^Subject: (New )?jobs? (matching|for you)", r"Job matches for you")),
        ("payment notice", *patterns(r"^Subject: (Payment|SafePay)")),
    ),
    client=patterns(r"^Employer:[^(\n]*\((?P<value>[^)\n]+)\)"),
    company=patterns(r"^Employer:\s*(?P<value>[^(\n]+?)\s*(?:\(|$)", r"^(?P<value>[^\n]+?) has withdrawn"),
    title=patterns(r"^Job:[ \t]*(?![ \t]|https?://)(?P<value>[^\n]+?)$", r"quote on a job: (?P<value>.+)$", r"quote on \"(?P<value>[^\"]+)\""),
    deadline=patterns(r"Quotes accepted until (?P<value>[^\n]+?)\.?$"),
    message=patterns(r"^Category:[^\n]*\n" + PARAGRAPH),
    url=r"guru\.com/(?:d/)?jobs/",
)
