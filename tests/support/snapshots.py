"""Every row of every table, in a form that a backup and restore must give back unchanged."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

# Rebuilt by migrate and flush (not dumped): their ids may differ after a restore, their natural keys not.
REBUILT = (ContentType, Permission)


# The dashboard's cache stamps (docs/design.md, rule 17): triggers give a restored database new
# ones on purpose, so no cache entry of the database before it is ever served.
RESTAMPED = {"invitations.FiguresVersion"}


def every_row():
    """{model label: [row]} for every model (many-to-many tables too, sorted: their ids are new
    after loaddata), with a content type or permission shown by its natural key, not its id."""
    names = {model: {row.pk: row.natural_key() for row in model.objects.all()} for model in REBUILT}
    return {model._meta.label: rows_of(model, names) for model in apps.get_models(include_auto_created=True)
            if model._meta.label not in RESTAMPED}


def rows_of(model, names):
    renumbered = model in REBUILT or model._meta.auto_created
    rebuilt_keys = [field.attname for field in model._meta.concrete_fields if field.related_model in REBUILT]
    rows = []
    for row in model._base_manager.order_by("pk").values():
        for key in rebuilt_keys:
            row[key] = names[model._meta.get_field(key.removesuffix("_id")).related_model].get(row[key])
        if model in REBUILT:
            row["id"] = names[model][row["id"]]
        elif renumbered:
            del row["id"]
        rows.append(row)
    return sorted(rows, key=repr) if renumbered else rows
