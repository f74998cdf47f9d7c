"""Account pages (thin: parse input, call one service, render)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.forms.forms import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learnmap.accounts import ratelimits, selectors, services
from learnmap.accounts.forms import AccountDeleteForm, TokenCreateForm
from learnmap.core.context_processors import THEME_COOKIE, THEMES
from learnmap.core.errors import ApplicationError, NotFound

THEME_COOKIE_AGE = 60 * 60 * 24 * 365
LOCKED = "too_many_login_attempts"  # allauth's error code for a sign-in locked by failures


def _too_many_requests(response: HttpResponse, *, seconds: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (``handler429`` in the root URLconf): our page, and when to come back."""
    response = render(request, "429.html", status=429)
    return _too_many_requests(response, seconds=ratelimits.page_retry_after(request))


class LoginView(AllauthLoginView):
    """allauth's sign-in, where a sign-in locked by failed attempts is a 429 that says when to
    come back (allauth shows the form's error with a 200)."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, LOCKED):
            credentials = form.user_credentials() if "login" in form.cleaned_data else {}
            credentials.pop("password", None)
            seconds = ratelimits.login_failed_retry_after(self.request, credentials=credentials)
            return _too_many_requests(response, seconds=seconds)
        return response


login = LoginView.as_view()


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
    response = render(request, "accounts/delete.html", {"form": form})
    if form.has_error("password", LOCKED):  # the password is checked as a sign-in is
        email = EmailAddress.objects.get_primary_email(request.user) or request.user.email
        seconds = ratelimits.login_failed_retry_after(request, credentials={"email": email})
        return _too_many_requests(response, seconds=seconds)
    return response


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


# --- personal access tokens (for the API) -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The learner's access tokens, and a form to make one. A new token's secret is shown in
    the answer to the form, once: it is never stored, so it cannot be shown again."""
    form = TokenCreateForm(data=request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenCreateForm()
    context = {
        "form": form,
        "created": created,
        "tokens": selectors.token_list(user=request.user),
    }
    response = render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.token_revoke(user=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return HttpResponseRedirect(reverse("accounts:tokens"))
