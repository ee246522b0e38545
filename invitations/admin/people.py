"""Clients, profiles and user accounts in the admin: a freelancer edits only their own."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from invitations.accounts import make_freelancer
from invitations.admin.scoping import OwnedAdmin
from invitations.forms.text import CheckedModelForm, CheckedText
from invitations.models import Client, Profile


@admin.register(Client)
class ClientAdmin(OwnedAdmin):
    list_display = ["name", "company", "email", "platform", "created_at"]
    list_filter = ["platform"]
    search_fields = ["name", "company", "email", "notes"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Profiles come with their users; a freelancer edits only their own, and cannot re-home it.

    None is deleted on its own (it goes with its user): a user without one is skipped by the
    sweep and the digest run. What those runs could not do for the user is shown, not edited.
    """

    form = CheckedModelForm
    list_display = ["user", "timezone", "digest_hour", "reply_window_hours", "digest_enabled", "nudges_enabled"]
    PROBLEMS = ["nudge_problem", "nudge_problem_at", "digest_problem", "digest_problem_at"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return self.PROBLEMS if request.user.is_superuser else ["user", *self.PROBLEMS]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())

# What only a superuser may give: a user editing themself sees none of it.
POWERS = {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}


@admin.register(get_user_model())
class FreelancerUserAdmin(UserAdmin):
    """A superuser manages everyone; anyone else sees and edits only their own account, and
    never their powers. A user added here is a freelancer (staff, Freelancer group)."""

    form = type("UserChangeForm", (CheckedText, UserChangeForm), {})
    add_form = type("UserCreationForm", (CheckedText, AdminUserCreationForm), {})

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
