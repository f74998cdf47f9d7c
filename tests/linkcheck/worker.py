"""``learnmap worker --once`` run in the test's own process (shared by the tests of every app
whose work the worker does)."""

from __future__ import annotations

import io
import signal

from django.core.management import call_command

SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
]


def run_worker() -> str:
    """Run the queued tasks as ``learnmap worker --once`` does; what it printed. The worker
    closes old connections between tasks: call it from ``django_db(transaction=True)`` tests.
    The test runner's signal handlers, which the worker replaces, are put back."""
    saved = {signum: signal.getsignal(signum) for signum in SIGNALS}
    out = io.StringIO()
    try:
        call_command("worker", "--once", "--poll", "0.1", stdout=out)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
    return out.getvalue()
