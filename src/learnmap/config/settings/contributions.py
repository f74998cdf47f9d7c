"""Contributions: proposals from learners and their review."""

from __future__ import annotations

from learnmap.config.env import env

# Proposals one account may make in a day (every one waits for a moderator all the same).
CONTRIBUTIONS_PER_DAY = env.int("LEARNMAP_PROPOSALS_PER_DAY", default=20, least=1)
