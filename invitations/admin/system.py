"""What only the system writes (mail, digests, heartbeats) and the shared machinery of other apps."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_q.models import Failure, OrmQ, Schedule, Success

from invitations.admin.scoping import OwnedAdmin, SuperusersOnly
from invitations.models import Digest, Heartbeat, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(OwnedAdmin):
    """Written by noghost alone. A freelancer reaches their own rows from the dashboard's notice
    about mail that did not arrive; the index lists the outbox to superusers only."""

    list_display = ["kind", "to", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "owner"]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(Digest)
class DigestAdmin(OwnedAdmin):
    list_display = ["local_date", "owner", "item_count", "claimed_at", "email"]
    readonly_fields = ["local_date", "claimed_at", "email", "item_count"]


@admin.register(Heartbeat)
class HeartbeatAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["job", "last_run_at", "last_summary"]


# Registered by django.contrib.auth, django_q and axes (listed before us in INSTALLED_APPS);
# django_q registers OrmQ only with its ORM broker.
for shared in (Group, Schedule, Success, Failure, OrmQ, AccessAttempt, AccessLog, AccessFailureLog):
    if not admin.site.is_registered(shared):
        continue
    registered = type(admin.site.get_model_admin(shared))
    admin.site.unregister(shared)
    admin.site.register(shared, type(registered.__name__, (SuperusersOnly, registered), {"__module__": __name__}))
