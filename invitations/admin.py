"""The admin as a working tool: every list scoped to its owner, adds through the domain."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils import timezone

from invitations.accounts import make_freelancer
from invitations.forms import InvitationAdminForm
from invitations.intake import record_invitation
from invitations.models import Client, Digest, FollowUp, Heartbeat, Invitation, OutboundEmail, Profile


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


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["job", "last_run_at", "last_summary"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class FreelancerUserAdmin(UserAdmin):
    """A user added here is a freelancer (staff, Freelancer group) unless made superuser later."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            make_freelancer(obj)
