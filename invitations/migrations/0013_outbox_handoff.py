"""The outbox's handoff (docs/design.md, rule 6): a fixed Message-ID per row, back-off, `unsure`.

Rows not yet sent get a Message-ID of their own here (a callable default would give every
existing row the same one); rows sent before keep none, as they went out without it.
"""

import invitations.models.mail
from django.db import migrations, models


def give_unsent_rows_a_message_id(apps, schema_editor):
    OutboundEmail = apps.get_model("invitations", "OutboundEmail")
    rows = list(OutboundEmail.objects.exclude(state="sent").only("pk"))
    for row in rows:
        row.message_id = invitations.models.mail.new_message_id()
    OutboundEmail.objects.bulk_update(rows, ["message_id"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('invitations', '0012_workspace'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboundemail',
            name='message_id',
            field=models.CharField(default='', help_text='The same on every attempt.', max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(give_unsent_rows_a_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='outboundemail',
            name='message_id',
            field=models.CharField(default=invitations.models.mail.new_message_id, help_text='The same on every attempt.', max_length=255),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='retry_at',
            field=models.DateTimeField(blank=True, help_text='A failed send is not retried before this.', null=True),
        ),
        migrations.AlterField(
            model_name='outboundemail',
            name='claim_token',
            field=models.CharField(blank=True, help_text='Which delivery run holds it, if any.', max_length=32),
        ),
        migrations.AlterField(
            model_name='outboundemail',
            name='state',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('unsure', 'May have been sent')], default='queued', max_length=10),
        ),
    ]
