"""The fixed vocabularies: platforms, answers, channels, decline reasons, follow-up kinds."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models


class Platform(models.TextChoices):
    UPWORK = "upwork", "Upwork"
    FIVERR = "fiverr", "Fiverr"
    TOPTAL = "toptal", "Toptal"
    LINKEDIN = "linkedin", "LinkedIn"
    FREELANCER = "freelancer", "Freelancer.com"
    CONTRA = "contra", "Contra"
    PEOPLEPERHOUR = "peopleperhour", "PeoplePerHour"
    GURU = "guru", "Guru"
    MALT = "malt", "Malt"
    DIRECT = "direct", "Direct client"
    RECRUITER = "recruiter", "Recruiter"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other"


PLATFORM_ERRORS = {
    "invalid_choice": "%(value)r is not a platform noghost knows; use one of: " + ", ".join(Platform.values) + "."
}


class Status(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone call"
    PLATFORM = "platform", "Platform message"
    IN_PERSON = "in_person", "In person"


class DeclineReason(models.TextChoices):
    BUSY = "busy", "Busy: fully booked for now"
    ACCEPTED_OTHER = "accepted_other", "Accepted another offer"
    NOT_A_FIT = "not_a_fit", "Not a fit for my skills"
    NOT_INTERESTED = "not_interested", "Not interested in the work"
    RATE = "rate", "Rate or budget too low"
    LOCATION = "location", "Location or relocation"
    REMOTE = "remote", "I only work remotely"
    CULTURE = "culture", "Culture or values"
    FREE_WORK = "free_work", "Client asked for free work"
    OFF_PLATFORM = "off_platform", "Client asked to work off the platform"
    SPAM = "spam", "Spam or scam"
    OTHER = "other", "Other"


class Language(models.TextChoices):
    """The languages drafts are written in (locale/<code>/LC_MESSAGES/django.po; rule 14)."""

    EN = "en", "English"
    ES = "es", "Español"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    PT = "pt", "Português"


class FollowUpKind(models.TextChoices):
    REPLY = "reply", "Reply to the invitation"
    RECONNECT = "reconnect", "Reconnect after the busy period"
    NOTIFY_REFERRER = "notify_referrer", "Tell the referrer what happened"
    CONFIRM_IN_WRITING = "confirm_in_writing", "Confirm the call in writing"
    CUSTOM = "custom", "Other"


def validate_timezone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError("%(name)s is not a known IANA time zone, such as Europe/Berlin.", params={"name": name})
