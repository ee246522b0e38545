"""The "Freelancer" group: what a non-superuser staff user needs, on their own rows only.

The admin scopes every list, form and choice to the user (OwnedAdmin); these permissions
decide which models they reach at all. Heartbeats, users, groups, the task queue and the
login-throttling records stay with superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Freelancer"
PERMISSIONS = {
    "client": ["view", "add", "change", "delete"],
    "invitation": ["view", "add", "change", "delete"],
    "followup": ["view", "add", "change", "delete"],
    "outboundemail": ["view"],
    "digest": ["view"],
    "profile": ["view", "change"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after every migration ran; this one needs them now.
    invitations = apps.get_app_config("invitations")
    invitations.models_module = True
    create_permissions(invitations, apps=apps, verbosity=0)
    invitations.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label="invitations", codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("invitations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
