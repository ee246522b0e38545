"""The admin as a working tool: every list scoped to its owner, adds through the domain."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_q.models import Failure, OrmQ, Schedule, Success

from invitations import admin_actions
from invitations.accounts import make_freelancer
from invitations.clock import at_local_hour, local_date
from invitations.forms import ANSWER_FIELDS, FollowUpInlineFormSet, InvitationAdminForm
from invitations.intake import move_reply_by, record_invitation
from invitations.models import Client, Digest, FollowUp, Heartbeat, Invitation, OutboundEmail, Profile, Status


class WideListMixin:
    """Lists with many columns get the whole width: no app sidebar beside them (1280 px shows every column)."""

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})


class OwnedAdmin(admin.ModelAdmin):
    """A superuser sees everyone's rows; anyone else only their own, in lists and in choices."""

    exclude = ["owner"]
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(owner=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Client, Invitation):
            kwargs["queryset"] = db_field.related_model.objects.filter(owner=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    formset = FollowUpInlineFormSet
    fk_name = "invitation"
    extra = 0
    fields = ["kind", "due_at", "snoozed_until", "done_at", "note"]


def _short(moment):
    """A moment in the user's zone, compact enough for a list column: 20 Nov 09:00."""
    return f"{timezone.localtime(moment):%d %b %H:%M}" if moment else "—"


# Follow-up kinds in as few words as a list column allows.
SHORT_KINDS = {"reply": "Reply", "reconnect": "Reconnect", "notify_referrer": "Tell referrer",
               "confirm_in_writing": "Confirm in writing", "custom": "Other"}


class OverdueFilter(admin.SimpleListFilter):
    """Open invitations whose reply-by has passed: the ones somebody is being ghosted on."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = models.Q(status=Status.OPEN, reply_by__lte=timezone.now())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class DueThisWeekFilter(admin.SimpleListFilter):
    """Open invitations still to answer this week (until Sunday midnight in the user's zone), or within 7 days.

    Overdue ones are the other filter's business, so "due" starts now.
    """

    title = "reply due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("week", "This week"), ("next7", "In the next 7 days")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "week":
            zone = request.user.profile.zone
            today = local_date(now, zone)
            end = at_local_hour(today + dt.timedelta(days=7 - today.weekday()), 0, zone)
        elif self.value() == "next7":
            end = now + dt.timedelta(days=7)
        else:
            return queryset
        return queryset.filter(status=Status.OPEN, reply_by__gt=now, reply_by__lt=end)


@admin.register(Invitation)
class InvitationAdmin(WideListMixin, OwnedAdmin):
    form = InvitationAdminForm
    inlines = [FollowUpInline]
    list_display = ["client_name", "title", "platform", "status_badge", "reply_by_short", "next_followup", "received_short"]
    list_display_links = ["client_name", "title"]
    show_full_result_count = False  # one COUNT per page, not two, at 100,000 rows
    list_filter = ["status", "platform", OverdueFilter, DueThisWeekFilter, "decline_reason"]
    list_select_related = ["client"]
    search_fields = ["title", "client__name", "client__company", "notes"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["client", "referred_by"]
    actions = [
        admin_actions.mark_withdrawn, admin_actions.snooze_invitation_followups,
        admin_actions.finish_invitation_followups,
    ]

    def get_queryset(self, request):
        # One correlated subquery per shown row (in the same query): the list costs the same at 5 rows or 500.
        next_due = FollowUp.objects.filter(invitation=OuterRef("pk"), done_at=None).order_by("due_at")
        return super().get_queryset(request).annotate(
            next_followup_due=Subquery(next_due.values("due_at")[:1]),
            next_followup_kind=Subquery(next_due.values("kind")[:1]),
        )

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        if obj.status == Status.OPEN and obj.reply_by <= timezone.now():
            return format_html('<span class="ng-badge ng-overdue">{}</span>', "Overdue")
        return format_html('<span class="ng-badge ng-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="Client", ordering="client__name")
    def client_name(self, obj):
        return obj.client.name

    @admin.display(description="Reply by", ordering="reply_by")
    def reply_by_short(self, obj):
        return _short(obj.reply_by)

    @admin.display(description="Received", ordering="received_at")
    def received_short(self, obj):
        return _short(obj.received_at)

    @admin.display(description="Next follow-up", ordering="next_followup_due")
    def next_followup(self, obj):
        if obj.next_followup_due is None:
            return "—"
        return f"{SHORT_KINDS.get(obj.next_followup_kind, obj.next_followup_kind)}, {_short(obj.next_followup_due)}"

    def get_readonly_fields(self, request, obj=None):
        return ANSWER_FIELDS if obj else []  # an invitation is added open: no answer to show yet

    def get_fieldsets(self, request, obj=None):
        details = [name for name in self.get_fields(request, obj) if name not in ANSWER_FIELDS]
        if obj is None:
            return [(None, {"fields": details})]
        return [(None, {"fields": details}),
                ("Answer", {"fields": ANSWER_FIELDS, "description": self.where_to_answer(request, obj)})]

    def where_to_answer(self, request, obj):
        """Answers are given on the respond page (responses.respond), never typed into these fields."""
        if obj.status == Status.WITHDRAWN:
            return "The client withdrew this invitation; there is nothing left to answer."
        if obj.owner_id != request.user.pk:
            return format_html("Only {} answers it, on their respond page.", obj.owner)
        return format_html(
            '<a href="{}">Answer on the respond page</a>: each answer is kept, with the follow-ups it owes.',
            reverse("respond", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
            record_invitation(obj, now=timezone.now())
            return
        # Only what the form changed: an answer given on the respond page while this form was
        # open (the form has no answer fields) must not be written back with its old values.
        edited = [name for name in form.changed_data if name != "reply_by"]
        if edited:
            obj.save(update_fields=[*edited, "updated_at"])
        if "reply_by" in form.changed_data:
            move_reply_by(obj, obj.reply_by, now=timezone.now())

    def save_formset(self, request, form, formset, change):
        for followup in formset.save(commit=False):
            followup.owner = form.instance.owner
            followup.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Client)
class ClientAdmin(OwnedAdmin):
    list_display = ["name", "company", "email", "platform", "created_at"]
    list_filter = ["platform"]
    search_fields = ["name", "company", "email", "notes"]


@admin.register(FollowUp)
class FollowUpAdmin(WideListMixin, OwnedAdmin):
    list_display = ["kind", "invitation", "client", "due_at", "snoozed_until", "done_at"]
    list_filter = ["kind", ("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["invitation__client", "client"]
    search_fields = ["note", "client__name", "invitation__title"]
    date_hierarchy = "due_at"
    show_full_result_count = False
    actions = [
        admin_actions.mark_selected_done, admin_actions.snooze_hour, admin_actions.snooze_tomorrow,
        admin_actions.snooze_next_week,
    ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(OwnedAdmin):
    list_display = ["kind", "to", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "owner"]


@admin.register(Digest)
class DigestAdmin(OwnedAdmin):
    list_display = ["local_date", "owner", "item_count", "claimed_at", "email"]
    readonly_fields = ["local_date", "claimed_at", "email", "item_count"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Profiles come with their users; a freelancer edits only their own, and cannot re-home it."""

    list_display = ["user", "timezone", "digest_hour", "reply_window_hours", "digest_enabled", "nudges_enabled"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["user"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SuperusersOnly:
    """Shared machinery (heartbeats, groups, the task queue, login records) holds every user's
    traces: superusers only, whatever permissions anyone else was given."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


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

admin.site.unregister(get_user_model())

# What only a superuser may give: a user editing themself sees none of it.
POWERS = {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}


@admin.register(get_user_model())
class FreelancerUserAdmin(UserAdmin):
    """A superuser manages everyone; anyone else sees and edits only their own account, and
    never their powers. A user added here is a freelancer (staff, Freelancer group)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.pk)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        mine = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in POWERS]}) for name, opts in fieldsets]
        return [(name, opts) for name, opts in mine if opts["fields"]]

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if request.user.is_superuser else ["last_login", "date_joined"]

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else []

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            make_freelancer(obj)
