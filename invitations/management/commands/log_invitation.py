"""python manage.py log_invitation --user alice --client "Acme" --title "Django API" --platform upwork"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from invitations.clock import format_local, parse_when
from invitations.intake.log import log_invitation
from invitations.management.options import CheckedCommand, describe, user_named

# Domain field -> the option the user typed it with.
OPTION_FOR = {
    "client": "--client", "company": "--company", "email": "--email", "phone": "--phone", "title": "--title",
    "platform": "--platform", "received_at": "--received", "reply_by": "--reply-by",
    "referred_by": "--referred-by", "url": "--url", "notes": "--notes",
}


class Command(CheckedCommand):
    help = (
        "Log an invitation for a user. WHEN is ISO 8601 (2026-11-22T09:30, 2026-11-22T09:30+01:00); "
        "a time without an offset is in the user's own zone. Prints the new invitation's id and its reply-by."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username of the freelancer.")
        parser.add_argument("--client", required=True, help="Client name; an existing one (any case) is reused.")
        parser.add_argument("--company", default="", help="The client's company (for a new client).")
        parser.add_argument("--email", default="", help="The client's e-mail (for a new client).")
        parser.add_argument("--phone", default="", help="The client's phone number (for a new client).")
        parser.add_argument("--title", default="", help="The job or project.")
        parser.add_argument("--platform", default="direct", help="upwork, fiverr, toptal, linkedin, direct, ...")
        parser.add_argument("--received", metavar="WHEN", help="When it arrived (default: now).")
        parser.add_argument("--reply-by", metavar="WHEN", help="Answer due (default: received + reply window).")
        parser.add_argument("--referred-by", default="", metavar="NAME", help="Who referred the client.")
        parser.add_argument("--url", default="", help="Link to the invitation.")
        parser.add_argument("--notes", default="")

    def handle(self, *args, **opts):
        user = user_named(opts["user"])
        zone = user.profile.zone
        errors = {}
        times = {}
        for field, option in (("received_at", "received"), ("reply_by", "reply_by")):
            if opts[option] is not None:
                try:
                    times[field] = parse_when(opts[option], zone)
                except ValueError as exc:
                    errors[field] = [f"{exc}."]
        if errors:
            raise CommandError(describe(errors, OPTION_FOR))
        try:
            invitation = log_invitation(
                user, now=timezone.now(), client=opts["client"], company=opts["company"], email=opts["email"],
                phone=opts["phone"],
                title=opts["title"], platform=opts["platform"], url=opts["url"], notes=opts["notes"],
                referred_by=opts["referred_by"], **times,
            )
        except ValidationError as exc:
            raise CommandError(describe(exc.message_dict, OPTION_FOR))
        self.stdout.write(
            f"Logged invitation {invitation.pk} from {invitation.client.name}; "
            f"reply by {format_local(invitation.reply_by, zone)} ({user.profile.timezone})."
        )
