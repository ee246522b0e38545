"""What the commands share: the user named by --user, and the domain's refusals under the option's name."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


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
