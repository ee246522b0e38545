"""Invitations and follow-ups in the admin: adds and reply-by changes go through the domain."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from invitations.admin import actions as admin_actions
from invitations.admin.filters import DueThisWeekFilter, OverdueFilter
from invitations.admin.scoping import OwnedAdmin, WideListMixin
from invitations.followups.lifecycle import add_followup
from invitations.forms.admin import ANSWER_FIELDS, FollowUpAdminForm, FollowUpInlineFormSet, InvitationAdminForm
from invitations.forms.text import CheckedModelForm
from invitations.intake.log import move_reply_by, record_invitation
from invitations.models import FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    form = CheckedModelForm
    formset = FollowUpInlineFormSet
    fk_name = "invitation"
    extra = 0
    fields = ["kind", "due_at", "snoozed_until", "done_at", "note"]


def _short(moment):
    """A moment in the user's zone, compact enough for a list column: 20 Nov 09:00."""
    return f"{timezone.localtime(moment):%d %b %H:%M}" if moment else "—"


# Follow-up kinds in as few words as a list column allows.
SHORT_KINDS = {FollowUpKind.REPLY: "Reply", FollowUpKind.RECONNECT: "Reconnect", FollowUpKind.NOTIFY_REFERRER: "Tell referrer",
               FollowUpKind.CONFIRM_IN_WRITING: "Confirm in writing", FollowUpKind.CUSTOM: "Other"}


@admin.register(Invitation)
class InvitationAdmin(WideListMixin, OwnedAdmin):
    form = InvitationAdminForm
    inlines = [FollowUpInline]
    list_display = ["client_name", "title_shown", "platform", "status_badge", "reply_by_short", "next_followup",
                    "received_short"]
    list_display_links = ["client_name", "title_shown"]
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
            unsent_saved=Exists(UnsentAnswer.objects.filter(invitation=OuterRef("pk"))),
        )

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        """Overdue as the dashboard and the digest say it (Invitation.objects.overdue), and an answer saved but not sent."""
        if obj.status == Status.OPEN and obj.reply_by <= timezone.now():
            badge = format_html('<span class="ng-badge ng-overdue">{}</span>', "Overdue")
        else:
            badge = format_html('<span class="ng-badge ng-{}">{}</span>', obj.status, obj.get_status_display())
        if getattr(obj, "unsent_saved", False):
            badge = format_html('{} <span class="ng-badge ng-drafted">{}</span>', badge, "drafted, not sent")
        return badge

    @admin.display(description="Title", ordering="title")
    def title_shown(self, obj):
        return obj.display_title

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
        """Rows edited are saved as typed (existing rows first, so one marked done makes room);
        rows added go through the domain's add_followup."""
        for followup in formset.save(commit=False):
            if followup.pk is not None:
                followup.save()
                continue
            add_followup(form.instance, now=timezone.now(), kind=followup.kind, due_at=followup.due_at,
                         note=followup.note, snoozed_until=followup.snoozed_until, done_at=followup.done_at)
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(FollowUp)
class FollowUpAdmin(WideListMixin, OwnedAdmin):
    form = FollowUpAdminForm
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
