"""The import commands tell each import's summary once: on their standard output."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from learnmap.catalog import services


def _not_info(record: logging.LogRecord) -> bool:
    return record.levelno != logging.INFO


@contextmanager
def printed_not_logged() -> Iterator[None]:
    """While a command runs: the import service's INFO line (each import's summary, for a
    caller that prints nothing) is left out of the log, since the command prints it on its
    standard output. The service's warnings are still logged."""
    services.logger.addFilter(_not_info)
    try:
        yield
    finally:
        services.logger.removeFilter(_not_info)
