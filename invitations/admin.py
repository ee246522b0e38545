"""The admin as a working tool: every list scoped to its owner, adds through the domain."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone

from invitations.followups import mark_done, snooze
from invitations.forms import InvitationAdminForm
from invitations.intake import record_invitation
from invitations.models import Client, Digest, FollowUp, Heartbeat, Invitation, OutboundEmail, Profile
from invitations.snoozes import SNOOZE_CHOICES, snooze_until


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
    fk_name = "invitation"
    extra = 0
    fields = ["kind", "due_at", "snoozed_until", "done_at", "note"]


@admin.register(Invitation)
class InvitationAdmin(OwnedAdmin):
    form = InvitationAdminForm
    inlines = [FollowUpInline]
    list_display = ["client", "title", "platform", "status", "received_at", "reply_by", "flagged_at", "responded_at"]
    list_filter = ["status", "platform", "decline_reason"]
    list_select_related = ["client"]
    search_fields = ["title", "client__name", "client__company", "notes"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["client", "referred_by"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.owner = request.user
        record_invitation(obj, now=timezone.now())

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
class FollowUpAdmin(OwnedAdmin):
    list_display = ["kind", "invitation", "client", "due_at", "snoozed_until", "done_at"]
    list_filter = ["kind", ("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["invitation__client", "client"]
    search_fields = ["note", "client__name", "invitation__title"]
    date_hierarchy = "due_at"
    actions = ["mark_selected_done", "snooze_hour", "snooze_tomorrow", "snooze_next_week"]

    @admin.action(description="Mark selected follow-ups done")
    def mark_selected_done(self, request, queryset):
        now = timezone.now()
        done = sum(mark_done(followup, now=now) for followup in queryset)
        self.message_user(request, f"Marked {done} follow-up(s) done.")

    def snooze_selected(self, request, queryset, choice):
        """Each follow-up wakes at its owner's morning, in its owner's zone (a superuser may pick others')."""
        now = timezone.now()
        snoozed = sum(
            snooze(followup, until=snooze_until(choice, now=now, profile=followup.owner.profile), now=now)
            for followup in queryset.select_related("owner__profile")
        )
        self.message_user(request, f"Snoozed {snoozed} follow-up(s): {SNOOZE_CHOICES[choice].lower()}.")

    @admin.action(description="Snooze selected for 1 hour")
    def snooze_hour(self, request, queryset):
        self.snooze_selected(request, queryset, "hour")

    @admin.action(description="Snooze selected until tomorrow morning")
    def snooze_tomorrow(self, request, queryset):
        self.snooze_selected(request, queryset, "tomorrow")

    @admin.action(description="Snooze selected until next week")
    def snooze_next_week(self, request, queryset):
        self.snooze_selected(request, queryset, "next_week")


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
    list_display = ["user", "timezone", "digest_hour", "reply_window_hours", "digest_enabled", "nudges_enabled"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["job", "last_run_at", "last_summary"]
