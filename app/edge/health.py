"""Health for load balancers and orchestrators, and metrics for Prometheus."""

from flask import Blueprint, Response, current_app, jsonify

from app.edge import observability
from app.edge.problems import NotReady

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is alive and answering."""
    response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz():
    """Ready for traffic: the content is loaded and valid, and the rate-limit store answers when it is Redis."""
    library = current_app.extensions.get("guidance_library")
    checks = {
        "content": "ok" if library and library.versions else "failed",
        "rate_limit_storage": current_app.extensions["rate_limits"].storage_state(),
    }
    if "failed" in checks.values():
        raise NotReady(checks=", ".join(f"{k}: {v}" for k, v in checks.items()))
    response = jsonify({"status": "ready", "checks": checks})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def metrics():
    body, content_type = observability.metrics()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
