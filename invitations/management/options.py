"""What the commands share: their arguments checked as text, the user named by --user, and the
domain's refusals named by option."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from invitations.text import text_problem

# BaseCommand's own options: paths and flags, not text anyone stores.
DJANGO_OPTIONS = {"settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks", "verbosity"}


class CheckedCommand(BaseCommand):
    """A command whose every text argument gets the shared check (invitations/text.py) before
    handle() runs: bytes that are not UTF-8 (a shell hands them over as surrogates, which no
    database takes), a NUL or another control character is one line naming the option, never a
    traceback. Arguments named in `not_text` (file paths: any bytes are a valid name) are not checked.
    """

    not_text = set()

    def execute(self, *args, **options):
        names = self.option_names()
        for dest, value in options.items():
            if dest in DJANGO_OPTIONS or dest in self.not_text or not isinstance(value, str):
                continue
            problem = text_problem(value)
            if problem:
                raise CommandError(f"{names.get(dest, dest)}: {problem}")
        return super().execute(*args, **options)

    def option_names(self):
        """dest -> how the user typed it: "--reply-by", or "USERNAME" for a positional argument."""
        parser = self.create_parser("manage.py", self.__module__.rsplit(".", 1)[-1])
        return {action.dest: max(action.option_strings, key=len, default=action.dest.upper()) for action in parser._actions}


def user_named(username):
    """The user (with their profile) that --user names, or a CommandError saying there is none."""
    user = get_user_model().objects.filter(username=username).select_related("profile").first()
    if user is None:
        raise CommandError(f"--user: no user named {username!r}.")
    return user


def describe(errors, option_for):
    """One line per problem, naming the option: '--reply-by: Reply-by is before ...'.

    `errors` is a ValidationError's message_dict (domain field -> messages); `option_for` maps a
    domain field to the option the user typed it with.
    """
    return "\n".join(
        f"{option_for.get(field, field)}: {message}" for field, messages in errors.items() for message in messages
    )
