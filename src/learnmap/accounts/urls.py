"""The account pages Learnmap adds to allauth's (sign in, sign up, passwords, email)."""

from django.urls import path

from learnmap.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_settings, name="settings"),
    # allauth's sign-in, answering a sign-in locked by failed attempts with a 429.
    path("login/", views.login, name="login"),
    path("delete/", views.account_delete, name="delete"),
    path("theme/", views.theme_set, name="theme"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
