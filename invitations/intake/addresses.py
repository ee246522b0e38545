"""Each user's forwarding address, `<token>@INBOUND_DOMAIN`: who a message sent to it is for.

The token is the only secret: mail to it lands in its owner's data alone, whatever its From
says. Replacing it (on /settings/) makes the old address refuse mail at once.
"""

from invitations.models import InboundAddress
from invitations.models.inbound import new_token


def address_for(user):
    """The user's address row (made for every user when they are created; made here if not)."""
    return InboundAddress.objects.get_or_create(owner=user)[0]


def replace_address(user):
    """Give the user a new token; the old address stops taking mail."""
    address = address_for(user)
    address.token = new_token()
    address.save(update_fields=["token", "created_at"])
    return address


def owner_id_for(recipient, domain):
    """The id of the user whose address `recipient` ("Token@Domain", any case) is, or None."""
    local, at, host = (recipient or "").strip().strip("<>").rpartition("@")
    if not at or host.lower() != domain.lower() or not local:
        return None
    return InboundAddress.objects.filter(token=local.lower()).values_list("owner_id", flat=True).first()
