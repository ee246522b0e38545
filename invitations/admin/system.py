"""What only the system writes (mail, digests, e-mail received, heartbeats) and the shared machinery of other apps."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_q.models import Failure, OrmQ, Schedule, Success

from invitations.admin.scoping import OwnedAdmin, SuperusersOnly
from invitations.forms.text import CheckedModelForm
from invitations.models import Digest, Heartbeat, InboundMessage, OutboundEmail


class WrittenBySystem:
    """Rows only noghost itself writes (the outbox, the digest claims, heartbeats): shown, never added
    by hand (an add page would ask for nothing of what they need, and fail on the first NOT NULL)."""

    def has_add_permission(self, request, *args):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(WrittenBySystem, OwnedAdmin):
    """Written by noghost alone. A freelancer reaches their own rows from the dashboard's notice
    about mail that did not arrive; the index lists the outbox to superusers only."""

    list_display = ["kind", "to", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "owner"]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(Digest)
class DigestAdmin(WrittenBySystem, OwnedAdmin):
    list_display = ["local_date", "owner", "item_count", "claimed_at", "email"]
    readonly_fields = ["local_date", "claimed_at", "email", "item_count"]


@admin.register(InboundMessage)
class InboundMessageAdmin(OwnedAdmin):
    """E-mail as it came in, for looking up: the inbox (/inbox/) is where it is dealt with."""

    list_display = ["subject", "sender", "state", "recogniser", "via", "received_at", "invitation"]
    list_filter = ["state", "via", "recogniser"]
    search_fields = ["subject", "sender", "message_id"]
    exclude = ["owner", "raw"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name not in ("owner", "raw")]

    def has_add_permission(self, request):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(WrittenBySystem, SuperusersOnly, admin.ModelAdmin):
    form = CheckedModelForm
    list_display = ["job", "last_run_at", "last_summary"]


# Registered by django.contrib.auth, django_q and axes (listed before us in INSTALLED_APPS);
# django_q registers OrmQ only with its ORM broker.
for shared in (Group, Schedule, Success, Failure, OrmQ, AccessAttempt, AccessLog, AccessFailureLog):
    if not admin.site.is_registered(shared):
        continue
    registered = type(admin.site.get_model_admin(shared))
    admin.site.unregister(shared)
    admin.site.register(shared, type(registered.__name__, (SuperusersOnly, registered), {"__module__": __name__}))
