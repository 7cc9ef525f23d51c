"""Encryption of the Moodle tokens Passage stores (Fernet, key from settings)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class TokenUnreadable(Exception):
    """A stored token cannot be decrypted: the encryption key changed since it was stored."""


def _fernet() -> Fernet:
    key = settings.TOKEN_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(f"passage-token:{settings.SECRET_KEY}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def token_encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def token_decrypt(encrypted: str) -> str:
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except InvalidToken as error:
        raise TokenUnreadable(
            "The stored Moodle token cannot be decrypted; enter it again "
            "(TOKEN_ENCRYPTION_KEY or SECRET_KEY changed)."
        ) from error
