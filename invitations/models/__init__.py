"""The vocabulary of noghost: who invited whom, what is owed, and what was sent.

Every row a user owns carries `owner`; every query that serves a user filters on it. The models
live in the modules below by subject; import them from here (migrations name `invitations.models`).
"""

from invitations.models.choices import (
    PLATFORM_ERRORS,
    Channel,
    DeclineReason,
    FollowUpKind,
    Language,
    Platform,
    Status,
    validate_timezone,
)
from invitations.models.feeds import CalendarFeed
from invitations.models.figures import FiguresVersion
from invitations.models.followups import FollowUp
from invitations.models.inbound import InboundAddress, InboundMessage
from invitations.models.invitations import ANSWERED, UNTITLED, AnswerEvent, Invitation, UnsentAnswer
from invitations.models.mail import Digest, Heartbeat, NotificationTarget, OutboundEmail, UsedLink
from invitations.models.mailboxes import Mailbox, MailboxFolder, NoticedReply
from invitations.models.people import Client, Profile
from invitations.models.wording import Wording, WordingChannel

__all__ = [
    "ANSWERED", "PLATFORM_ERRORS", "AnswerEvent", "CalendarFeed", "Channel", "Client", "DeclineReason", "Digest",
    "FiguresVersion", "FollowUp", "FollowUpKind", "Heartbeat", "InboundAddress", "InboundMessage", "Invitation", "Language", "Mailbox",
    "MailboxFolder", "NoticedReply", "NotificationTarget", "OutboundEmail", "Platform", "Profile", "Status",
    "UNTITLED", "UnsentAnswer", "UsedLink", "Wording", "WordingChannel", "validate_timezone",
]
