"""The guidance service: an app factory that wires configuration, content, languages and blueprints."""

import re

from flask import Flask, current_app, g, request
from flask_babel import Babel
from flask_cors import CORS

from app import check as checking
from app import errors, negotiation, observability, security, settings, web
from app.content import PROJECT_ROOT, load_library
from app.front import StoredResponses
from app.front_checks import DirectChecks
from app.limiting import RateLimits
from app.problems import PayloadTooLarge
from app.proxies import TrustedProxies

MAX_BODY_BYTES = 64 * 1024
# Headers a browser script on another origin may read from our responses.
EXPOSED_HEADERS = ["Content-Language", "ETag", "Last-Modified", "Link", "Memento-Datetime", "Content-Location",
                   "Deprecation", "Retry-After", "X-Request-ID"]


def create_app(config=None):
    """Build the app. ``config`` overrides settings (tests use it); the environment sets the rest."""
    app = Flask(__name__)
    app.response_class = web.GuidanceResponse
    app.json = web.FastJSONProvider(app)
    app.config.update(settings.load(overrides=config))
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        BABEL_DEFAULT_LOCALE=negotiation.DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    app.extensions["guidance_library"] = load_library(app.config["GUIDANCE_CONTENT_DIR"])
    Babel(app, locale_selector=response_language)
    CORS(
        app,
        resources={
            r"/v1/check": {"origins": origin_patterns(app.config["CHECK_CORS_ORIGINS"])},
            r"/v1/.*": {"origins": "*", "send_wildcard": True, "methods": ["GET", "HEAD"]},
        },
        expose_headers=EXPOSED_HEADERS,
        max_age=86400,
    )
    app.extensions["security_headers"] = security.security_headers(app.config["EMBED_ORIGINS"])
    app.after_request(secure_response)
    observability.register(app)
    errors.register(app)
    app.extensions["rate_limits"] = RateLimits(
        app.config["RATELIMIT_STORAGE_URI"], app.config["READ_RATE_LIMIT"], app.config["CHECK_RATE_LIMIT"]
    )
    app.before_request(refuse_large_bodies)
    app.before_request(negotiate_languages)
    app.before_request(count_towards_limits)
    app.after_request(declare_language)
    app.after_request(answer_conditionally)
    app.after_request(rate_limit_headers)

    from app.views import check, guidance, health, pages, reminders

    for blueprint in (guidance.bp, reminders.bp, check.bp, pages.bp, health.bp):
        app.register_blueprint(blueprint)
    # Outermost first: the client's real address, then ordinary checks and repeat GETs answered
    # in front of Flask, then Flask.
    stored = StoredResponses(app.wsgi_app, app.extensions["rate_limits"])
    direct = DirectChecks(stored, app.extensions["guidance_library"], app.extensions["rate_limits"], app.json,
                          MAX_BODY_BYTES)
    app.wsgi_app = TrustedProxies(direct, app.config["TRUSTED_PROXIES"])
    app.extensions["representations"] = web.Representations()
    web.warm(app)
    checking.load()
    return app


def origin_patterns(allowed):
    """Allowed origins as patterns; ``https://*.gov.wales`` allows every subdomain."""
    patterns = []
    for origin in allowed:
        scheme, _, host = origin.partition("://")
        wildcard = host.startswith("*.")
        host = re.escape(host[2:] if wildcard else host)
        subdomains = r"([a-z0-9-]+\.)+" if wildcard else ""
        patterns.append(re.compile(f"^{re.escape(scheme)}://{subdomains}{host}$"))
    return patterns


def refuse_large_bodies():
    """A body over 64 KiB is refused from its Content-Length, before it is read."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise PayloadTooLarge()


def negotiate_languages():
    """Fix the response languages before any view runs; a bad ``?lang=`` is a 400."""
    g.languages = negotiation.negotiate_languages(request.args.get("lang"), request.headers.get("Accept-Language"))


def response_language():
    """flask-babel's locale selector. Errors raised before, or by, negotiation still get a language."""
    if "languages" in g:
        return g.languages[0]
    try:
        return negotiation.negotiate_languages(request.args.get("lang"), request.headers.get("Accept-Language"))[0]
    except Exception:  # noqa: BLE001 - a bad ?lang= is the error being reported
        return negotiation.language_from_accept(request.headers.get("Accept-Language"))


def secure_response(response):
    return security.add_security_headers(response, current_app.extensions["security_headers"], request.is_secure)


def declare_language(response):
    response.headers["Content-Language"] = ", ".join(g.get("languages", (response_language(),)))
    response.vary.add("Accept-Language")
    return response


# Checks from the API and from the page's form share the check limit; health checks are never limited.
CHECK_BLUEPRINTS = {"check", "pages"}
UNLIMITED_BLUEPRINTS = {"health"}


def count_towards_limits():
    """Each read counts towards the read limit of its endpoint, each check towards the check limit.

    Over a limit, TooManyRequests carries Retry-After and the X-RateLimit-* headers."""
    if request.blueprint in UNLIMITED_BLUEPRINTS:
        return
    limits = current_app.extensions["rate_limits"]
    if request.method in ("GET", "HEAD"):
        limits.count_read(request.remote_addr, request.endpoint or "")
    elif request.method == "POST" and request.blueprint in CHECK_BLUEPRINTS:
        g.rate_limit_window = limits.count_check(request.remote_addr)


def rate_limit_headers(response):
    """X-RateLimit-* on checks only: a read is cached and shared, so one client's count would mislead the next."""
    window = g.get("rate_limit_window")
    if window is not None:
        response.headers.update(window.headers())
    return response


def answer_conditionally(response):
    """A strong ETag on every successful GET, and 304 Not Modified when the client has it already.

    Representations served from memory (web.represent) come with their ETag and answer 304 themselves."""
    if request.method in ("GET", "HEAD") and response.status_code == 200 and "ETag" not in response.headers:
        response.add_etag()
        response.make_conditional(request)
    return response
