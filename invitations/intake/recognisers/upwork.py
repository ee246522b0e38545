"""Upwork: invitations to interview, their reminders, closed jobs, and the mail that is none of them."""

from invitations.intake.recognisers.base import PARAGRAPH, Wording, patterns

WORDING = Wording(
    name="upwork", platform="upwork", senders=("upwork.com",),
    invitation=patterns(r"^Subject: Invitation to interview:", r"has invited you to interview",
                        r"pending invitation to interview"),
    withdrawal=patterns(r"The client has closed this job", r"^Subject: Job closed:", r"invitation (was|has been) withdrawn"),
    other=(
        ("job alert", *patterns(r"^Subject: New jobs? (matching|that match)", r"^Stop receiving job alerts")),
        ("proposal viewed", *patterns(r"viewed your proposal")),
        ("receipt", *patterns(r"^Subject: Your receipt", r"Thanks for your purchase")),
        ("security notice", *patterns(r"^Subject: Security alert", r"new sign-in to your Upwork account")),
    ),
    client=patterns(r"^(?P<value>[^\n]+?) from [^\n]+? has invited you to interview", r"^Client:\s*(?P<value>.+)$",
                    r"^Subject: Reminder: (?P<value>.+?) is waiting for your reply",
                    r"invitation to interview for \"[^\"]+\" from (?P<value>[^(\n]+?)\s*(?:\(|\.|$)"),
    company=patterns(r" from (?P<value>[^\n]+?) has invited you to interview", r"^Company:\s*(?P<value>.+)$",
                     r"invitation to interview for \"[^\"]+\" from [^(\n]+\((?P<value>[^)\n]+)\)"),
    title=patterns(r"^Subject: Invitation to interview: (?P<value>.+)$", r"interview for the job \"(?P<value>[^\"]+)\"",
                   r"invitation to interview for \"(?P<value>[^\"]+)\"", r"^Job:\s*(?P<value>.+)$",
                   r"has closed this job: (?P<value>.+)$"),
    deadline=patterns(r"This invitation expires (?:on )?(?P<value>[^.\n]+)"),
    message=patterns(r"^Message from [^\n]+:" + PARAGRAPH),
    url=r"upwork\.com/(?:nx|ab)/proposals/interview/",
)
