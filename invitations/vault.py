"""Secrets kept at rest: an IMAP app password, a bot token inside a notification URL.

They are sealed with Fernet (`cryptography`) under the keys in `NOGHOST_VAULT_KEYS`, newest
first, so that a database file or a backup alone gives nothing away. Only the code that must
use a secret (the worker signing in, the sender posting) calls `unseal()`; pages and logs only
ever say that one is set. Rotation: put a new key first, keep the old ones after it, run
`python manage.py rotate_secrets`, then drop the old keys (docs/security.md).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class SealedSecretError(Exception):
    """A sealed value that none of the configured keys opens (a key was dropped too soon)."""


def _keys():
    keys = list(getattr(settings, "NOGHOST_VAULT_KEYS", []) or [])
    if not keys:
        # Unset: a key derived from SECRET_KEY, so nothing needs setting up; but then changing
        # SECRET_KEY loses every secret, which is why a deployment sets NOGHOST_VAULT_KEYS.
        keys = [base64.urlsafe_b64encode(hashlib.sha256(b"noghost-vault:" + settings.SECRET_KEY.encode()).digest())]
    return MultiFernet([Fernet(key) for key in keys])


def seal(secret):
    """The secret, encrypted under the newest key; "" stays "" (no secret set)."""
    if not secret:
        return ""
    return _keys().encrypt(secret.encode()).decode()


def unseal(sealed):
    """The clear secret; only for the moment it is used. Raises SealedSecretError when no key fits."""
    if not sealed:
        return ""
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise SealedSecretError("no key in NOGHOST_VAULT_KEYS opens this secret") from error


def reseal(sealed):
    """The same secret sealed again under the newest key (key rotation)."""
    if not sealed:
        return ""
    try:
        return _keys().rotate(sealed.encode()).decode()
    except InvalidToken as error:
        raise SealedSecretError("no key in NOGHOST_VAULT_KEYS opens this secret") from error


class SealedField(models.TextField):
    """A column that holds only sealed text: models store `seal(...)` in it, never the clear value.

    It does no encryption itself (that would decrypt on every read, in every process); it marks
    the columns `rotate_secrets` re-seals and that the admin and backups never show in clear.
    """


def sealed_fields():
    """Every (model, field name) that holds a sealed secret, for rotation."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, SealedField)
    ]
