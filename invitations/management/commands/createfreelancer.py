"""python manage.py createfreelancer alice --email alice@example.com [--password-from-env VAR]"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from invitations.accounts import FREELANCER_GROUP, create_freelancer
from invitations.management.options import CheckedCommand


class Command(CheckedCommand):
    help = (
        f'Create a freelancer: a staff user in the "{FREELANCER_GROUP}" group, with a profile. '
        "The password comes from the environment variable named by --password-from-env, or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password-from-env", metavar="VAR", help="Read the password from this variable.")

    def handle(self, *args, username, email, password_from_env, **opts):
        if password_from_env:
            password = os.environ.get(password_from_env)
            if not password:
                raise CommandError(f"--password-from-env: ${password_from_env} is empty or unset.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = create_freelancer(username, email=email, password=password)
        except ValidationError as exc:
            raise CommandError("\n".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()))
        except LookupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"Created freelancer {user.username!r} ({user.email}); they can log in now.")
