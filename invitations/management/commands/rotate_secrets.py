"""Re-seal every stored secret under the newest key in NOGHOST_VAULT_KEYS (see invitations/vault.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from invitations.vault import SealedSecretError, reseal, sealed_fields


class Command(BaseCommand):
    help = "Re-seal every stored secret (IMAP passwords, notification URLs) under the newest vault key."

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model, name in sealed_fields():
                for pk, sealed in model.objects.exclude(**{name: ""}).values_list("pk", name).iterator():
                    try:
                        model.objects.filter(pk=pk).update(**{name: reseal(sealed)})
                    except SealedSecretError as error:
                        raise CommandError(f"{model._meta.label} {pk}, {name}: {error}; nothing was changed") from error
                    total += 1
        self.stdout.write(f"re-sealed {total} secret{'s' if total != 1 else ''} under the newest key")
