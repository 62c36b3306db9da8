"""gunicorn settings for production; every one can be overridden on the command line or by the environment.

gunicorn reads this file by itself when started from the repository root.
"""

import ctypes
import gc
import multiprocessing
import os
import shutil
import sys
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One worker per core plus one: the work is CPU-bound (everything is in memory but the rate-limit
# count), and the one over keeps a core busy while a worker waits on the network; gunicorn's
# general 2 x cores + 1 only adds context switches (the README has the figures). WEB_CONCURRENCY
# overrides. gevent workers, so that a client that stalls holds a greenlet, not the worker
# (app/edge/worker.py bounds how long it may).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "app.edge.worker.Worker"
# Load the app (content, templates, language models) once in the master; workers share it copy-on-write.
preload_app = True
timeout = 30
graceful_timeout = 30
# A kept-alive connection idles at most 5 s; the gevent worker also gives a request line and its
# headers at most this long to arrive.
keepalive = 5
# Refuse oversized request lines and headers before the app sees them.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
# X-Forwarded-* are believed only from these addresses (the app applies the same list).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1").replace(" ", ",")
# The app writes one JSON line per request; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
# gunicorn's own lines (boot, workers, timeouts, bad requests) as JSON, in the app's shape.
logger_class = "app.edge.observability.GunicornLogger"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Metrics from every worker, added up (prometheus_client's multiprocess mode).
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="guidance-metrics-")


def on_starting(server):
    """Start each run with empty metrics files."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def pre_fork(server, worker):
    """Hide the loaded app from the garbage collector before forking: a worker's collections then
    walk only what requests make, which keeps them short, and the shared pages stay shared. Then hand
    the heap that loading freed (the model's files as read, parsed, converted) back to the system, so
    that a worker does not start out resident in pages of garbage (glibc's malloc_trim; elsewhere a no-op)."""
    gc.freeze()
    _release_freed_heap()


def _release_freed_heap():
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the C library this process already runs on
    if trim is not None:
        trim(0)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def worker_exit(server, worker):
    """Leave a worker that served as soon as its logs are flushed: at interpreter shutdown, logging's clean-up
    takes a lock gevent has already torn down, and prints a traceback into the JSON log (gevent issue 2148).
    A worker that failed to boot exits the usual way, with its error code, so that gunicorn sees it."""
    if getattr(worker, "booted", False):
        import logging

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
