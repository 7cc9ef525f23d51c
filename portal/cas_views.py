"""The CAS sign-in and sign-out views, with every address they send the browser to checked.

django-cas-ng checks `next` only when `CAS_LOGIN_NEXT_PAGE` is set; otherwise it reads `next`
again, unchecked, and would send a person who just signed in to any site. Imported only when
CAS is on (django_cas_ng is then an installed app).
"""

from __future__ import annotations

from typing import Any

import django_cas_ng.views
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from portal.sign_in import next_is_safe


def _drop_unsafe_next(request: HttpRequest) -> None:
    target = request.GET.get(REDIRECT_FIELD_NAME)
    if target and not next_is_safe(request, target):
        query = request.GET.copy()
        query.pop(REDIRECT_FIELD_NAME)
        request.GET = query


class CasLoginView(django_cas_ng.views.LoginView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _drop_unsafe_next(request)
        return super().dispatch(request, *args, **kwargs)

    def successful_login(self, request: HttpRequest, next_page: str) -> HttpResponse:
        if not next_is_safe(request, next_page):
            next_page = resolve_url(settings.LOGIN_REDIRECT_URL)
        return super().successful_login(request, next_page)


class CasLogoutView(django_cas_ng.views.LogoutView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _drop_unsafe_next(request)
        return super().dispatch(request, *args, **kwargs)
