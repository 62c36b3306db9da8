"""Rate limits with Flask-Limiter, by client address: a strict one for checks, a loose one for reads.

Storage is in memory by default (each process counts on its own), or Redis
(RATELIMIT_STORAGE_URI=redis://...) so that every worker on every machine shares
one count. If Redis goes away, Flask-Limiter falls back to counting in memory,
per process, and logs it: nothing stops being served, and limits still apply.
"""

import logging

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

log = logging.getLogger("app")


def reads_only():
    """Exempt from the read limit: anything but GET and HEAD (checks have their own)."""
    return request.method not in ("GET", "HEAD")


def create_limiter(app, check_blueprints, exempt_blueprints):
    """One limiter per app; checks from the API and from the page share one count per client."""
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        # Limits as strings, parsed once: a callable would be parsed again on every request.
        default_limits=[app.config["READ_RATE_LIMIT"]],
        default_limits_exempt_when=reads_only,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    shared = limiter.shared_limit(app.config["CHECK_RATE_LIMIT"], scope="check", methods=["POST"])
    for blueprint in check_blueprints:
        shared(blueprint)
    for blueprint in exempt_blueprints:
        limiter.exempt(blueprint)
    return limiter


def storage_reachable(app):
    """``ok``, ``not used`` (in memory) or ``failed``, for /readyz."""
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return "not used"
    try:
        return "ok" if app.extensions["limiter_instance"].storage.check() else "failed"
    except Exception:  # noqa: BLE001 - any storage error means not reachable
        log.warning("rate-limit storage unreachable")
        return "failed"
