"""Sign-in: where a person lands afterwards, who may use a password, which attempts are throttled.

Django's own sign-in views check `next` themselves; the CAS views (`portal.cas_views`) check it
with `next_is_safe`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_is_safe(request: HttpRequest, url: str | None) -> bool:
    """An address of this site (a path, or this host with the request's scheme)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


class StaffPasswordBackend(ModelBackend):
    """Passwords for staff accounts only: with CAS on, teachers sign in through CAS, so a
    teacher's password (set by mistake, or guessed) opens nothing."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and bool(getattr(user, "is_staff", False))


def attempt_without_password(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """Sign-in attempts django-axes neither counts nor blocks: those without a password (a CAS
    ticket), since the CAS server throttles its own form and a forged ticket names nobody."""
    return not (credentials or {}).get("password")


def client_ip(request: HttpRequest) -> str | None:
    """The address sign-in attempts are counted by: behind the reverse proxy, the one the proxy
    appended to X-Forwarded-For (the last), since every request comes from the proxy itself."""
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
