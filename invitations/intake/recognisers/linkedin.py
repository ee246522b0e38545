"""LinkedIn: InMails from recruiters and Services Marketplace project requests; alerts and
connection invitations (an "invitation", but to connect) are not invitations to interview."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="linkedin", platform="linkedin", senders=("linkedin.com",),
    invitation=patterns(r"^This is an InMail from", r"sent you a project request"),
    withdrawal=patterns(r"project request (was|has been) (withdrawn|closed)", r"no longer accepting proposals"),
    other=(
        ("connection request", *patterns(r"add me to your LinkedIn network", r"invitation to connect")),
        ("job alert", *patterns(r"new jobs? (in|match)", r"^Your job alert")),
        ("notification", *patterns(r"appeared in \d+ searches", r"viewed your profile", r"^Subject: .*\bcongratulat")),
    ),
    client=patterns(r"^This is an InMail from (?P<value>.+?)\.?$",
                    r"^(?P<value>[^\n]+?) from [^\n]+? sent you a project request"),
    company=patterns(r"\A[^\n]*\n+[^\n]+\n[^\n]*? at (?P<value>[^\n]+)$",
                     r"^[^\n]+? from (?P<value>[^\n]+?) sent you a project request"),
    title=patterns(r"^Project:\s*(?P<value>.+)$", r"^Subject: (?:InMail: )?(?P<value>.+)$"),
    deadline=patterns(r"^Respond by (?P<value>[^\n]+?) to keep"),
    message=patterns(r"^Timeline:[^\n]*\n(?:[^\n]+\n)*" + PARAGRAPH, r"^Hi [^\n]+,$" + PARAGRAPH),
    url=r"linkedin\.com/(?:messaging|service-marketplace)/",
)
