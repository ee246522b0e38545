"""PeoplePerHour: invitations to send a proposal; job alerts are not invitations."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="peopleperhour", platform="peopleperhour", senders=("peopleperhour.com",),
    invitation=patterns(r"invited you to send a proposal", r"^Subject: You've been invited to send a proposal"),
    withdrawal=patterns(r"job (was|has been) (closed|cancelled|withdrawn)", r"no longer accepting proposals"),
    other=(
        ("job alert", *patterns(r"new jobs? match your skills")),
        ("payment notice", *patterns(r"^Subject: (Payment|Funds) (received|released|cleared)")),
    ),
    client=patterns(r"^(?P<value>[^\n]+?) from [^\n]+? invited you to send a proposal"),
    company=patterns(r"^[^\n]+? from (?P<value>[^\n]+?) invited you to send a proposal"),
    title=patterns(r"send a proposal for:\s*(?P<value>.+)$"),
    deadline=patterns(r"Proposals close in (?P<value>\d+ (?:days?|hours?))"),
    message=patterns(r"^Category:[^\n]*\n" + PARAGRAPH),
    url=r"peopleperhour\.com/freelance-jobs/",
)
