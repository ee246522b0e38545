"""Who sees what in the admin: owners their own rows, superusers the shared machinery."""

from django import forms
from django.contrib import admin
from django.db import models

from invitations.forms.text import CheckedModelForm
from invitations.models import Client, Invitation


class WideListMixin:
    """Lists with many columns get the whole width: no app sidebar beside them (1280 px shows every column)."""

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})


class OwnedAdmin(admin.ModelAdmin):
    """A superuser sees everyone's rows; anyone else only their own, in lists and in choices."""

    exclude = ["owner"]
    form = CheckedModelForm
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
