"""Email and account settings from the environment, as an operator sets them."""

from __future__ import annotations

PRINT = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
    "s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL, s.ACCOUNT_EMAIL_VERIFICATION, sep='|')"
)


def test_email_is_printed_on_the_console_until_a_host_is_set(learnmap):
    result = learnmap("shell", "-v", "0", "-c", PRINT)

    assert result.returncode == 0, result.stderr
    backend, host, *_, sender, verification = result.stdout.strip().split("|")
    assert (backend, host) == ("console", "")
    assert sender == "Learnmap <learnmap@localhost>"
    assert verification == "optional"


def test_smtp_from_the_environment(learnmap, learnmap_env):
    env = {
        **learnmap_env,
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "465",
        "EMAIL_HOST_USER": "learnmap",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "DEFAULT_FROM_EMAIL": "Learnmap <hello@example.org>",
        "ACCOUNT_EMAIL_VERIFICATION": "mandatory",
    }

    result = learnmap("shell", "-v", "0", "-c", PRINT, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "smtp",
        "smtp.example.org",
        "465",
        "False",
        "True",
        "Learnmap <hello@example.org>",
        "mandatory",
    ]


def test_a_wrong_verification_mode_is_one_clear_line(learnmap, learnmap_env):
    result = learnmap("check", env={**learnmap_env, "ACCOUNT_EMAIL_VERIFICATION": "sometimes"})

    assert result.returncode == 2
    assert result.stderr.startswith("learnmap: configuration error: ACCOUNT_EMAIL_VERIFICATION=")
