"""python manage.py respond 42 --decline --reason busy --busy-for "3 weeks" --channel platform"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from invitations.answers.periods import busy_until_after
from invitations.answers.respond import LateCancellation, respond
from invitations.clock import format_local, local_date, parse_date, parse_when
from invitations.mail.rendering import page_url
from invitations.management.options import CheckedCommand, describe
from invitations.models import Channel, DeclineReason, Invitation


class Command(CheckedCommand):
    help = (
        "Answer invitation ID (accept, decline or mark withdrawn by the client). Without --message the "
        "drafted message is kept and printed. DATE is 2026-12-31; WHEN is ISO 8601, in the owner's zone "
        "unless it has an offset. The busy period ends on its last day (--busy-until) or N days|weeks|months "
        "from today (--busy-for); a reconnect is due on that day at the owner's digest hour. The answer is "
        "recorded as given (you sent it, said it, or the client withdrew); with --draft it is only saved, "
        "not sent, and the invitation stays due until you confirm on its page that it went out."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The invitation's id (log_invitation prints it).")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--accept", dest="action", action="store_const", const="accept")
        action.add_argument("--decline", dest="action", action="store_const", const="decline")
        action.add_argument("--withdrawn", dest="action", action="store_const", const="withdrawn",
                            help="The client withdrew the invitation.")
        parser.add_argument("--interview-at", metavar="WHEN", help="With --accept: when the interview is.")
        parser.add_argument("--reason", default="", help="With --decline: " + ", ".join(DeclineReason.values) + ".")
        busy = parser.add_mutually_exclusive_group()
        busy.add_argument("--busy-until", metavar="DATE", help="With --decline: the last busy day.")
        busy.add_argument("--busy-for", metavar="PERIOD", help='With --decline: "N days", "N weeks" or "N months".')
        parser.add_argument("--channel", default="", help=", ".join(Channel.values) + " (default: platform "
                            "for a marketplace invitation, else email).")
        parser.add_argument("--message", help="The text you sent (default: the draft).")
        parser.add_argument("--suggest", default="", metavar="NAME", help="With --decline: someone else to suggest.")
        parser.add_argument("--force", action="store_true",
                            help="Cancel an accepted interview less than 24 hours away.")
        parser.add_argument("--draft", action="store_true",
                            help="Save the answer without recording it as sent: it stays on the dashboard as "
                                 "'answer drafted, not sent' until you confirm on the invitation's page.")

    def handle(self, *args, **opts):
        invitation = Invitation.objects.select_related("owner__profile", "client").filter(pk=opts["id"]).first()
        if invitation is None:
            raise CommandError(f"ID: no invitation {opts['id']}.")
        now = timezone.now()
        zone = invitation.owner.profile.zone
        option_for = self.option_for(opts)
        parsed, errors = self.parse_times(opts, now=now, zone=zone)
        if errors:
            raise CommandError(describe(errors, option_for))
        try:
            answer = respond(
                invitation, now=now, action=opts["action"], reason=opts["reason"], channel=opts["channel"],
                message=opts["message"], suggest=opts["suggest"], force=opts["force"], sent=not opts["draft"], **parsed,
            )
        except ValidationError as exc:
            raise CommandError(describe(exc.message_dict, option_for))
        except LateCancellation as exc:
            raise CommandError(f"--force: {exc} Nothing was changed.")
        self.report(answer, zone)

    @staticmethod
    def option_for(opts):
        """Field -> the option the user typed it as, so each problem names what to fix."""
        busy_option = "--busy-for" if opts["busy_for"] is not None else "--busy-until"
        return {
            "action": f"--{opts['action']}", "reason": "--reason", "busy_until": busy_option,
            "channel": "--channel", "message": "--message", "suggest": "--suggest", "interview_at": "--interview-at",
        }

    @staticmethod
    def parse_times(opts, *, now, zone):
        """The dates as respond takes them (in the owner's zone), and by field those that did not parse."""
        errors, parsed = {}, {}
        try:
            if opts["busy_for"] is not None:
                parsed["busy_until"] = busy_until_after(opts["busy_for"], today=local_date(now, zone))
            elif opts["busy_until"] is not None:
                parsed["busy_until"] = parse_date(opts["busy_until"])
        except ValueError as exc:
            errors["busy_until"] = [f"{exc}."]
        if opts["interview_at"] is not None:
            try:
                parsed["interview_at"] = parse_when(opts["interview_at"], zone)
            except ValueError as exc:
                errors["interview_at"] = [f"{exc}."]
        return parsed, errors

    def report(self, answer, zone):
        invitation = answer.invitation
        if not answer.sent:
            return self.report_unsent(answer)
        owner = invitation.owner
        self.stdout.write(
            f"Invitation {invitation.pk} from {invitation.client.name} (owner: {owner.get_username()}) is now "
            f"{invitation.get_status_display().lower()}"
            + (f" via {invitation.get_response_channel_display().lower()}." if invitation.response_channel else ".")
        )
        for followup in answer.opened:
            self.stdout.write(f"Opened: {followup.get_kind_display()}, due {format_local(followup.due_at, zone)}.")
        for line in (*answer.warnings, *answer.draft.advice):
            self.stdout.write(self.style.WARNING(line))
        if invitation.response_message:
            if invitation.response_channel == Channel.EMAIL and answer.draft.subject:
                self.stdout.write(f"\nSubject: {answer.draft.subject}")
            self.stdout.write("\n" + invitation.response_message)

    def report_unsent(self, answer):
        """A draft: what was saved, that nothing went out, and where to confirm it."""
        invitation, unsent = answer.invitation, answer.invitation.unsent
        self.stdout.write(
            f"Invitation {invitation.pk} from {invitation.client.name}: {unsent.get_status_display().lower()} saved "
            f"as a draft, not sent (via {unsent.get_channel_display().lower()}). It stays "
            f"{invitation.get_status_display().lower()} until you confirm it went out: "
            f"{page_url('invitation_detail', invitation.pk)}"
        )
        for line in (*answer.warnings, *answer.draft.advice):
            self.stdout.write(self.style.WARNING(line))
        if unsent.channel == Channel.EMAIL and answer.draft.subject:
            self.stdout.write(f"\nSubject: {answer.draft.subject}")
        self.stdout.write("\n" + unsent.message)
