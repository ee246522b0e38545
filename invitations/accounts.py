"""Accounts: freelancers as staff users in the "Freelancer" group.

The group and its permissions are created by migration 0002; the command and the admin only
put users in it, so every freelancer has exactly the same powers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from invitations.text import text_problem

FREELANCER_GROUP = "Freelancer"


def freelancer_group():
    """The group migration 0002 created; LookupError says what to do if it is gone."""
    try:
        return Group.objects.get(name=FREELANCER_GROUP)
    except Group.DoesNotExist:
        raise LookupError(f'The "{FREELANCER_GROUP}" group is missing; run `python manage.py migrate`.')


def make_freelancer(user):
    """Staff, in the Freelancer group: enough for the pages and the admin, never for others' rows."""
    group = freelancer_group()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user


def create_freelancer(username, *, email, password):
    """A new freelancer with a Profile (the post_save signal), in one transaction.

    Raises ValidationError by field (username, email, password); nothing is written then. Each is
    text first (text.text_problem): bytes that are not UTF-8 cannot even be hashed.
    """
    User = get_user_model()
    errors = {
        field: [problem] for field, problem in
        (("username", text_problem(username)), ("email", text_problem(email)), ("password", text_problem(password)))
        if problem
    }
    if errors:  # before any lookup or hash, which such text would break
        raise ValidationError(errors)
    candidate = User(username=username, email=email)
    checks = [
        ("username", lambda: candidate.clean_fields(exclude=["password", "email"])),
        ("username", lambda: candidate.validate_unique()),
        ("email", lambda: validate_email(email)),
        ("password", lambda: validate_password(password, candidate)),
    ]
    for field, check in checks:
        try:
            check()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(username, email, password)
        return make_freelancer(user)
