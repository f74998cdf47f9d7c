"""The JSON API under /api/v1/ (config/api.py): rates and sizes."""

from __future__ import annotations

from learnmap.config.env import env
from learnmap.config.settings.accounts import ALLAUTH_TRUSTED_PROXY_COUNT

# Rates are "requests/period" (s, m, h, d; "10/5m" for ten per five minutes) or "off",
# counted in the shared cache per caller (access token or signed-in user) and per client
# address; config/api.py checks them at start.
API_RATE_WRITE_PER_CALLER = env.str("API_RATE_WRITE_PER_CALLER", default="120/m")
API_RATE_WRITE_PER_IP = env.str("API_RATE_WRITE_PER_IP", default="600/m")
API_RATE_SEARCH_PER_CALLER = env.str("API_RATE_SEARCH_PER_CALLER", default="60/m")
API_RATE_SEARCH_PER_IP = env.str("API_RATE_SEARCH_PER_IP", default="120/m")
# The client address behind reverse proxies: the same count as allauth's.
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT
# Request bodies (bytes): most endpoints take small JSON; importing a progress export more.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024, least=1)
API_IMPORT_MAX_BYTES = env.int("API_IMPORT_MAX_BYTES", default=5 * 1024 * 1024, least=1)
# Django refuses any body past this before a view sees it: let an import through.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, API_IMPORT_MAX_BYTES + 64 * 1024)
# Access tokens one account may hold at once.
API_TOKENS_PER_USER_MAX = env.int("API_TOKENS_PER_USER_MAX", default=50, least=1)
