"""One JSON log line per request, a request id on every response, and Prometheus metrics.

The log line has the method, the route's path without query values (they could
hold text), the status, the duration and the request id: never a body.
"""

import logging
import os
import random
import re
import sys
import time
from functools import lru_cache

import orjson
from gunicorn import glogging
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

access_log = logging.getLogger("guidance.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

REQUESTS = Counter("guidance_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "guidance_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
VERDICTS = Counter("guidance_check_verdicts_total", "Verdicts given by POST /v1/check.", ["verdict"])


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object; access records carry their fields as they are.

    Written for every request, so it is encoded by orjson and the time is formatted once a second.
    """

    @staticmethod
    def encode(entry):
        return orjson.dumps(entry, default=str).decode()

    def __init__(self):
        super().__init__()
        self.second, self.stamp = None, ""

    def formatTime(self, record, datefmt=None):
        second = int(record.created)
        if second != self.second:
            self.second, self.stamp = second, time.strftime("%Y-%m-%dT%H:%M:%S%z", self.converter(second))
        return self.stamp

    def format(self, record):
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name}
        entry.update(getattr(record, "fields", {"message": record.getMessage()}))
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__
        return self.encode(entry)


class GunicornLogger(glogging.Logger):
    """gunicorn's own error log (boot, workers, timeouts, bad requests) as JSON lines like the app's.

    Its plain format names the process, which configure_logging stops logging from finding.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


def configure_logging(level: str) -> None:
    # The log line names no caller, thread or process: skip finding them (the logging HOWTO's "Optimization").
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("guidance.access", "app"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def new_request_id() -> str:
    """128 random bits as hex: unique enough to follow a request, and far cheaper than os.urandom."""
    return f"{random.getrandbits(128):032x}"


def request_id(given: str) -> str:
    """The caller's X-Request-ID when it is a plausible id, else a new one."""
    return given if _REQUEST_ID.fullmatch(given) else new_request_id()


@lru_cache(maxsize=1024)
def request_metrics(method, route, status):
    """The counter and histogram of one kind of request; routes are patterns, so there are few kinds."""
    return REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route)


def record(method: str, route: str, path: str, query: list[str], status: int, duration: float, rid: str) -> None:
    """Count a request in the metrics and write its log line: the edge calls this once for every request."""
    count, latency = request_metrics(method, route, status)
    count.inc()
    latency.observe(duration)
    access_log.info(
        "request",
        extra={
            "fields": {
                "event": "request",
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "duration_ms": round(duration * 1000, 3),
                "request_id": rid,
            }
        },
    )


def count_verdict(verdict: str) -> None:
    VERDICTS.labels(verdict).inc()


def metrics() -> tuple[bytes, str]:
    """The metrics text, across every gunicorn worker when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
