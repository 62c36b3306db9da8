"""The guidance service: an app factory that wires one package per capability.

- ``app.guidance``: the content, the one store of its representations, the views and pages;
- ``app.check``: ``POST /v1/check``, its rules, model and corpus tools;
- ``app.edge``: what every request needs (proxies, ids, limits, logs, metrics, headers, errors, health);
- ``app.editor``: the editors' commands, publishing and proofing.
"""

from flask import Flask, g, request
from flask_babel import Babel

from app import check as checking
from app.check import views as check_views
from app.edge import errors, health, observability, security, settings
from app.edge.cors import Cors
from app.edge.limiting import RateLimits
from app.edge.middleware import Edge
from app.edge.proxies import TrustedProxies
from app.guidance import negotiation, pages, reminders, views, web
from app.guidance.caching import cache_control
from app.guidance.content import PROJECT_ROOT, load_library
from app.guidance.store import Store

MAX_BODY_BYTES = 64 * 1024  # Flask refuses a longer body with 413, from its length or as it streams


def create_app(config=None):
    """Build the app. ``config`` overrides settings (tests use it); the environment sets the rest."""
    app = Flask(__name__)
    app.json = web.FastJSONProvider(app)
    app.config.update(settings.load(overrides=config))
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        BABEL_DEFAULT_LOCALE=negotiation.DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
        CACHE_CONTROL=cache_control(app.config["CACHE_SECONDS"]),
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    observability.configure_logging(app.config["LOG_LEVEL"])

    app.extensions["guidance_library"] = load_library(app.config["GUIDANCE_CONTENT_DIR"])
    Babel(app, locale_selector=response_language)
    errors.register(app)
    app.before_request(negotiate_languages)
    app.after_request(declare_language)
    app.after_request(web.redirect_from_base)
    for blueprint in (views.bp, reminders.bp, check_views.bp, pages.bp, health.bp):
        app.register_blueprint(blueprint)

    store = app.extensions["store"] = Store(app.config["STORE_MEGABYTES"])
    limits = app.extensions["rate_limits"] = RateLimits(
        app.config["RATELIMIT_STORAGE_URI"], app.config["READ_RATE_LIMIT"], app.config["CHECK_RATE_LIMIT"]
    )
    app.wsgi_app = Edge(
        app,
        store=store,
        limits=limits,
        proxies=TrustedProxies(app.config["TRUSTED_PROXIES"]),
        cors=Cors(app.config["CHECK_CORS_ORIGINS"]),
        security_headers=security.security_headers(app.config["EMBED_ORIGINS"]),
    )
    web.warm(app)
    checking.load()
    return app


def negotiate_languages():
    """Fix the response languages before any view runs: a page's are its address's, as are those of any address
    under /cy/ (``?lang=`` plays no part, so its errors are in the page's language too); elsewhere a bad ``?lang=``
    is a 400."""
    page_language = (request.view_args or {}).get("page_language") or negotiation.address_language(request.path)
    if page_language is not None:
        g.languages = (page_language,)
        return
    g.languages = negotiation.negotiate_languages(request.args.get("lang"), request.headers.get("Accept-Language"))


def response_language():
    """flask-babel's locale selector. Errors raised before, or by, negotiation still get a language."""
    if "languages" in g:
        return g.languages[0]
    fixed = negotiation.address_language(request.path)
    if fixed:
        return fixed
    try:
        return negotiation.negotiate_languages(request.args.get("lang"), request.headers.get("Accept-Language"))[0]
    except Exception:  # noqa: BLE001 - a bad ?lang= is the error being reported
        return negotiation.language_from_accept(request.headers.get("Accept-Language"))


def declare_language(response):
    """Content-Language on every response that has content and does not say its language already."""
    if response.status_code != 304 and "Content-Language" not in response.headers:
        response.headers["Content-Language"] = ", ".join(g.get("languages", (response_language(),)))
        response.vary.add("Accept-Language")
    return response
