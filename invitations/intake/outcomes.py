"""What capturing a message came to, in one line: the pipe's output and the upload page's message."""

from invitations.clock import format_local
from invitations.models import InboundMessage

State = InboundMessage.State


def describe(message, zone):
    """`logged invitation 42: "Django API" from Acme (upwork), reply by 2026-12-03 09:30 CET`, and so on."""
    line = _state_line(message, zone)
    if getattr(message, "repeated", False):
        return f"already received as message {message.pk}: {line}"
    return line


def _state_line(message, zone):
    invitation = message.invitation
    if message.state == State.LOGGED and message.found.get("kind") == "withdrawal":
        return f"withdrawn: invitation {invitation.pk} {_what(invitation)}"
    if message.state == State.LOGGED:
        return f"logged invitation {invitation.pk}: {_what(invitation)}, reply by {format_local(invitation.reply_by, zone)}"
    if message.state == State.DUPLICATE:
        return f"duplicate of invitation {invitation.pk}: {_what(invitation)} (added to its notes)"
    if message.state == State.NOT_INVITATION and message.found.get("kind") == "reply":
        return f"reply noticed: {message.reason}"
    if message.state == State.NOT_INVITATION:
        return f"not an invitation: {message.reason}"
    if message.state == State.FAILED:
        return f"failed: {message.reason} (message {message.pk}; try again from /inbox/)"
    if message.state == State.REVIEW:
        return f"needs review: {message.reason} (message {message.pk}, in /inbox/)"
    return f"stored as message {message.pk}; it will be read shortly"


def _what(invitation):
    return f'"{invitation.title or "untitled"}" from {invitation.client.name} ({invitation.platform})'
