"""Working with clients: editing one, and merging two that turned out to be the same.

Both keep the rule "one client per name, any case" (the `client_name_unique_per_owner_ci`
constraint): an edit to a name another client has is refused with the way out (merge them), and
a merge leaves one row. Each writes in one transaction; bad input changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from invitations.models import Client, FollowUp, Invitation
from invitations.text import text_errors

EDITABLE = ("name", "company", "email", "phone", "platform", "profile_url", "language", "notes")
# Filled from the merged-away client where the kept one has none.
FILLED_IN = ("company", "email", "phone", "platform", "profile_url")


def edit_client(client, **values):
    """Change the editable fields given in `values`; returns the saved client.

    ValidationError by field, nothing written: a blank name, a bad e-mail, URL or platform, or a
    name (any case) another of the owner's clients has.
    """
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    edited = Client.objects.get(pk=client.pk)
    for name, value in values.items():
        setattr(edited, name, value.strip() if isinstance(value, str) and name != "notes" else value)
    errors = _errors(edited)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            edited.save()
    except IntegrityError:  # a twin saved since the check: the constraint decided
        raise ValidationError({"name": [_twin_message(edited.name)]})
    return edited


def _errors(client):
    errors = text_errors(client)
    try:
        client.full_clean(exclude=["owner", *errors], validate_constraints=False)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    twin = _twin(client) if "name" not in errors else None
    if twin is not None:
        errors["name"] = [_twin_message(twin.name)]
    return errors


def _twin(client):
    return Client.objects.filter(owner_id=client.owner_id, name__iexact=client.name).exclude(pk=client.pk).first()


def _twin_message(name):
    return f"You have a client named “{name}” already; merge the two instead."


def merge_clients(keep, other):
    """Move everything of `other` to `keep` and delete `other`, in one transaction; returns `keep`.

    Their invitations, the invitations they referred, and the follow-ups about them move; the
    blanks of `keep` (company, e-mail, phone, platform, profile) are filled from `other` and the
    notes of both are kept. An invitation `other` referred to `keep` is no referral any more.
    """
    if keep.owner_id != other.owner_id:
        raise ValidationError({"other": ["Pick one of your own clients."]})
    if keep.pk == other.pk:
        raise ValidationError({"other": ["Pick another client to merge with this one."]})
    with transaction.atomic():
        keep = Client.objects.select_for_update().get(pk=keep.pk)
        other = Client.objects.select_for_update().get(pk=other.pk)
        _take_details(keep, other)
        errors = text_errors(keep)
        if errors:
            raise ValidationError(errors)
        Invitation.objects.filter(client=other).update(client=keep)
        Invitation.objects.filter(referred_by=other).update(referred_by=keep)
        Invitation.objects.filter(client=keep, referred_by=keep).update(referred_by=None)
        FollowUp.objects.filter(client=other).update(client=keep)
        other.delete()
        keep.save()
    return keep


def what_moves(other):
    """What merging `other` away would move: invitations from them, those they referred, follow-ups."""
    return {
        "invitations": Invitation.objects.filter(client=other).count(),
        "referrals": Invitation.objects.filter(referred_by=other).exclude(client=other).count(),
        "followups": FollowUp.objects.filter(client=other).count(),
    }


def _take_details(keep, other):
    for name in FILLED_IN:
        if not getattr(keep, name):
            setattr(keep, name, getattr(other, name))
    if other.notes and other.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{other.notes}".strip() if keep.notes else other.notes
