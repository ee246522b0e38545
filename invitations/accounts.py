"""Accounts: freelancers as staff users in the "Freelancer" group, and who is knocking at login.

The group and its permissions are created by migration 0002; the command and the admin only
put users in it, so every freelancer has exactly the same powers.
"""

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.shortcuts import render

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

    Raises ValidationError by field (username, email, password); nothing is written then.
    """
    User = get_user_model()
    errors = {}
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


def client_ip(request):
    """The address login throttling counts failures against.

    Behind our proxy (BEHIND_PROXY) REMOTE_ADDR is the proxy itself; the right-most
    X-Forwarded-For entry is the one our proxy appended, so a client cannot forge it.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out login: calm, in the site's look, with a way out."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
