from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = "Invitations"

    def ready(self):
        from invitations import signals  # noqa: F401  (connects the profile creator)


class NoghostAdminConfig(admin_apps.AdminConfig):
    """Installed in place of django.contrib.admin, so `admin.site` is noghost's (crm/admin_site.py)."""

    default = False  # "invitations" alone means InvitationsConfig
    default_site = "crm.admin_site.NoghostAdminSite"
