"""Malt: project proposals from clients, in French or English (malt.fr, malt.com and the others)."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="malt", platform="malt", senders=("malt.fr", "malt.com", "malt.de", "malt.es", "malt.be", "malt.nl"),
    invitation=patterns(r"vous a envoyé une proposition de projet", r"sent you a project proposal",
                        r"^Subject: (Nouvelle proposition de projet|New project proposal)"),
    withdrawal=patterns(r"(proposition|proposal) (a été|was|has been) (retirée|annulée|withdrawn|cancelled)"),
    other=(
        ("newsletter", *patterns(r"^Subject: Les actus Malt", r"^Subject: Malt (Insights|News)", r"Se désabonner")),
        ("payment notice", *patterns(r"^Subject: (Paiement|Payment) (reçu|received)")),
    ),
    client=patterns(r"^(?P<value>[^\n]+?) de la société [^\n]+? vous a envoyé",
                    r"^(?P<value>[^\n]+?) from [^\n]+? sent you a project proposal"),
    company=patterns(r"de la société (?P<value>[^\n]+?) vous a envoyé", r" from (?P<value>[^\n]+?) sent you a project proposal"),
    title=patterns(r"^Proje(?:t|ct)\s*:\s*(?P<value>.+)$"),
    deadline=patterns(r"Répondez avant le (?P<value>[^\n]+?) pour", r"Reply before (?P<value>[^\n]+?) to keep"),
    message=patterns(r"^Message (?:de|from) [^\n]+:" + PARAGRAPH),
    url=r"malt\.[a-z]{2,3}/messages/",
)
