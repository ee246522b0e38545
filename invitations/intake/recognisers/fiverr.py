"""Fiverr: Brief matches (a buyer asking sellers like you), buyers' messages, and the rest."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="fiverr", platform="fiverr", senders=("fiverr.com",),
    invitation=patterns(r"^Subject: You've got a new Brief match", r"A buyer is looking for a seller like you",
                        r"^\S+ sent you a message:"),
    withdrawal=patterns(r"Brief (is no longer available|was (closed|cancelled))"),
    other=(
        ("newsletter", *patterns(r"^Subject: Fiverr (Business )?Trends", r"Unsubscribe from these emails")),
        ("earnings notice", *patterns(r"^Subject: Your earnings", r"available for withdrawal")),
        ("order update", *patterns(r"^Subject: (Your order|Order) #?\w+ (is|was|has)")),
    ),
    client=patterns(r"^Buyer:\s*(?P<value>[^(\n]+?)\s*(?:\(|$)", r"^(?P<value>\S+) sent you a message:"),
    company=patterns(r"^Buyer:[^(\n]*\((?P<value>[^)\n]+)\)"),
    title=patterns(r"^Brief:\s*(?P<value>.+)$", r"^Subject: You've got a new Brief match: (?P<value>.+)$"),
    deadline=patterns(r"Respond to this Brief within (?P<value>\d+ (?:hours|days))"),
    message=patterns(r"^Delivery:[^\n]*\n" + PARAGRAPH, r"sent you a message:" + PARAGRAPH),
    url=r"fiverr\.com/(?:briefs|inbox)/",
)
