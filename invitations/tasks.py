"""django-q2 entry points: thin, they hand the domain the time and return its summary."""

from django.utils import timezone

from invitations import sweep as sweeping


def sweep():
    """Every 5 minutes (schedule "sweep every 5 minutes")."""
    return str(sweeping.sweep(timezone.now()))


def send_digests():
    """Every 15 minutes (schedule "digests every 15 minutes").

    invitations.digests is the digest issue's module; imported here, at run time, so the
    schedule can be registered before it lands.
    """
    from invitations.digests import send_due_digests

    return str(send_due_digests(timezone.now()))
