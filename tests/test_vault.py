"""Secrets are sealed at rest and survive a key rotation (invitations/vault.py, rotate_secrets)."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from invitations.vault import SealedSecretError, reseal, seal, unseal


def test_a_sealed_secret_is_not_its_clear_text_and_opens_again():
    sealed = seal("app-password-123")
    assert "app-password-123" not in sealed
    assert unseal(sealed) == "app-password-123"
    assert seal("") == "" and unseal("") == ""


def test_rotation_reseals_under_the_new_key_and_the_old_key_can_then_go(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOGHOST_VAULT_KEYS = [old]
    sealed = seal("bot-token")
    settings.NOGHOST_VAULT_KEYS = [new, old]
    resealed = reseal(sealed)
    settings.NOGHOST_VAULT_KEYS = [new]
    assert unseal(resealed) == "bot-token"
    with pytest.raises(SealedSecretError, match="NOGHOST_VAULT_KEYS"):
        unseal(sealed)


@pytest.mark.django_db
def test_rotate_secrets_with_no_sealed_rows_says_so():
    from io import StringIO

    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert out.getvalue().strip() == "re-sealed 0 secrets under the newest key"
