
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from invitations.text import fold

# docs/design.md, "Search". PostgreSQL only: full-text search through a configuration that folds
# accents (the unaccent extension, trusted since PostgreSQL 13: a database owner may create it),
# with a GIN index per searched table over exactly the expression the queries use
# (SearchVector("search_text", config="noghost_search")).
SEARCH_CONFIG = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS noghost_search;
CREATE TEXT SEARCH CONFIGURATION noghost_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION noghost_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
"""
INDEXES = {"invitation": "inv_search", "client": "client_search"}
SEARCHED = {"invitation": ("title", "notes", "response_message"), "client": ("name", "company", "email", "notes")}


def fill_search_text(apps, schema_editor):
    """Every row's search_text, as Searchable.save() would write it, in batches."""
    for model_name, fields in SEARCHED.items():
        model = apps.get_model("invitations", model_name)
        batch = []
        for row in model.objects.only(*fields).iterator(chunk_size=2000):
            row.search_text = fold(*(getattr(row, name) for name in fields))
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["search_text"])
                batch = []
        model.objects.bulk_update(batch, ["search_text"])


def postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    schema_editor.execute(SEARCH_CONFIG)
    for model_name, index_name in INDEXES.items():
        index = GinIndex(SearchVector("search_text", config="noghost_search"), name=index_name)
        schema_editor.add_index(apps.get_model("invitations", model_name), index)


def drop_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index_name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name}")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS noghost_search")


class Migration(migrations.Migration):

    dependencies = [
        ('invitations', '0011_unsent_answers_and_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='client',
            name='search_text',
            field=models.TextField(blank=True, db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='invitation',
            name='search_text',
            field=models.TextField(blank=True, db_default='', default='', editable=False),
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField()),
                ('owner', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(postgres_search, drop_postgres_search),
    ]
