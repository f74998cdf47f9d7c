"""Account pages (thin: parse input, call one service, render)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learnmap.accounts import services
from learnmap.accounts.forms import AccountDeleteForm
from learnmap.core.context_processors import THEME_COOKIE, THEMES
from learnmap.core.errors import ApplicationError

THEME_COOKIE_AGE = 60 * 60 * 24 * 365


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    email = EmailAddress.objects.get_primary(request.user)
    return render(request, "accounts/settings.html", {"email": email})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(data=request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account and everything in it have been deleted."))
            return HttpResponseRedirect("/")
    return render(request, "accounts/delete.html", {"form": form})


@require_POST
def theme_set(request: HttpRequest) -> HttpResponse:
    """Remember the colour theme (light, dark, or "" to follow the system) in a cookie.

    The header's theme button posts here when JavaScript is off; with it, learnmap.js sets the
    same cookie without a page load.
    """
    theme = request.POST.get("theme", "")
    response = HttpResponseRedirect(_safe_next(request))
    if theme in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            theme,
            max_age=THEME_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"
