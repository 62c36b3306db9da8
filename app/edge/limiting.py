"""Rate limits by client address: a strict one for checks, a loose one for reads.

Counting is done by ``limits`` (the library Flask-Limiter is built on), in fixed windows, in
one of three storages (RATELIMIT_STORAGE_URI):

- ``sqlite://`` (the default): a SQLite file that every worker of this service on this machine
  shares, so a limit is the limit however many workers there are. Without a path, a file in a
  new temporary folder (in /dev/shm where there is one), made when the app is created, before
  gunicorn forks its workers (gunicorn.conf.py preloads the app);
  ``sqlite:////var/lib/guidance/limits.sqlite3`` names one.
- ``redis://...``: one count for every worker on every machine. A Redis that hangs costs a
  request at most ``REDIS_TIMEOUT_SECONDS`` (no retries), then the machine's SQLite file counts
  instead, and the log and /readyz say so. Redis is tried again every ``RETRY_STORAGE_SECONDS``.
- ``memory://``: each process counts on its own; right only for one process (tests, ``flask run``).

Our two limits are known at start-up, so they are applied here directly, where Flask-Limiter
works out which limits apply on every request. Counts in memory are kept by ``WindowCounts``
rather than limits' MemoryStorage, which starts a thread every 10 ms while it holds counts.

Plain Python, no Flask: the edge (``app.edge.middleware``) counts every request here, once.
"""

import atexit
import logging
import math
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string

from app.edge.problems import TooManyRequests

log = logging.getLogger("app")
RETRY_STORAGE_SECONDS = 10
REDIS_TIMEOUT_SECONDS = 0.1  # to connect, and for each answer: a Redis on the same network answers in far less
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # memory-backed, where there is one
CHECK_SCOPE = "check"  # checks from the API and from the page share one count per client
# Checks from the API and from the page's form share the check limit; health checks are never limited.
CHECK_BLUEPRINTS = {"check", "pages"}
UNLIMITED_BLUEPRINTS = {"health"}


class Window(NamedTuple):
    """Where a client stands in a limit's current window, for the X-RateLimit-* headers."""

    limit: int
    remaining: int
    reset: int  # Unix seconds

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class WindowCounts(Storage):
    """Fixed-window counts in this process's memory, with no thread: a count past its window reads
    as zero, and once a minute the expired ones are dropped, so clients gone away take no room."""

    STORAGE_SCHEME = None  # made directly, never from a URI
    SWEEP_SECONDS = 60

    def __init__(self):
        super().__init__()
        self.counts = {}  # key: (count, end of its window in Unix seconds)
        self.lock = threading.Lock()
        self.next_sweep = time.time() + self.SWEEP_SECONDS

    @property
    def base_exceptions(self):
        return ValueError

    def incr(self, key, expiry, amount=1):
        now = time.time()
        with self.lock:
            if now >= self.next_sweep:
                self.counts = {k: entry for k, entry in self.counts.items() if entry[1] > now}
                self.next_sweep = now + self.SWEEP_SECONDS
            count, ends = self.counts.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + expiry
            self.counts[key] = (count + amount, ends)
            return count + amount

    def get(self, key):
        count, ends = self.counts.get(key, (0, 0.0))
        return count if ends > time.time() else 0

    def get_expiry(self, key):
        now = time.time()
        ends = self.counts.get(key, (0, 0.0))[1]
        return max(now, ends)

    def check(self):
        return True

    def reset(self):
        with self.lock:
            cleared, self.counts = len(self.counts), {}
        return cleared

    def clear(self, key):
        with self.lock:
            self.counts.pop(key, None)


class SQLiteCounts(Storage):
    """Fixed-window counts in a SQLite file, shared by every process that opens it.

    Each count is one UPSERT, atomic under SQLite's write lock; a process opens its own
    connection (never one made before a fork). The file is a scratch pad: write-ahead log, no
    fsync, and counts past their window are swept once a minute.
    """

    STORAGE_SCHEME = None  # made directly, by storage_for
    SWEEP_SECONDS = 60
    INCREMENT = (
        "INSERT INTO counts (key, count, ends) VALUES (:key, :amount, :now + :expiry) "
        "ON CONFLICT (key) DO UPDATE SET "
        "count = CASE WHEN ends <= :now THEN :amount ELSE count + :amount END, "
        "ends = CASE WHEN ends <= :now THEN :now + :expiry ELSE ends END "
        "RETURNING count"
    )

    def __init__(self, uri: str = "sqlite://", **options):
        super().__init__(uri, **options)
        self.path = uri.removeprefix("sqlite://") or self.scratch_file()
        self.pid, self.connection, self.next_sweep = None, None, 0.0

    @staticmethod
    def scratch_file() -> str:
        """A file in a new temporary folder, removed when the process that made it exits (not its forks)."""
        folder = tempfile.mkdtemp(prefix="guidance-limits-", dir=SCRATCH)
        maker = os.getpid()
        atexit.register(lambda: os.getpid() == maker and shutil.rmtree(folder, ignore_errors=True))
        return str(Path(folder) / "counts.sqlite3")

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def db(self) -> sqlite3.Connection:
        if self.pid != os.getpid():
            connection = sqlite3.connect(self.path, timeout=1, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends REAL NOT NULL)"
            )
            self.pid, self.connection = os.getpid(), connection
        return self.connection

    def incr(self, key, expiry, amount=1):
        now = time.time()
        db = self.db()
        if now >= self.next_sweep:
            self.next_sweep = now + self.SWEEP_SECONDS
            db.execute("DELETE FROM counts WHERE ends <= ?", (now,))
        return db.execute(self.INCREMENT, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()[0]

    def get(self, key):
        row = self.db().execute("SELECT count FROM counts WHERE key = ? AND ends > ?", (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        row = self.db().execute("SELECT ends FROM counts WHERE key = ?", (key,)).fetchone()
        return max(time.time(), row[0] if row else 0.0)

    def check(self):
        return self.db().execute("SELECT 1").fetchone() == (1,)

    def reset(self):
        return self.db().execute("DELETE FROM counts").rowcount

    def clear(self, key):
        self.db().execute("DELETE FROM counts WHERE key = ?", (key,))


def storage_for(uri: str) -> Storage:
    """The storage a RATELIMIT_STORAGE_URI names; Redis with short timeouts and no retries."""
    if uri.startswith("memory://"):
        return WindowCounts()
    if uri.startswith("sqlite://"):
        return SQLiteCounts(uri)
    from redis.backoff import NoBackoff  # only where Redis is used: importing redis costs a worker 5 MB
    from redis.retry import Retry

    return storage_from_string(
        uri,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


class RateLimits:
    """The read and check limits, counted in the configured storage or, while Redis fails, in SQLite on this machine."""

    def __init__(self, storage_uri: str, read_limit: str, check_limit: str):
        self.kind = "redis" if storage_uri.startswith("redis") else storage_uri.partition("://")[0]
        self.storage = storage_for(storage_uri)
        self.fallback = WindowCounts() if self.kind != "redis" else SQLiteCounts()
        self.read = parse(read_limit)
        self.check = parse(check_limit)
        self.failed_at = None

    def count(self, method: str, endpoint: str, address: str) -> Window | None:
        """Count a request towards its limit: each read towards the read limit of its endpoint, each check
        towards the check limit. The check's window after it, for the X-RateLimit-* headers (a read is
        cached and shared, so one client's count would mislead the next), else None.

        Over a limit, TooManyRequests carries Retry-After and the X-RateLimit-* headers."""
        blueprint = endpoint.partition(".")[0]
        if blueprint in UNLIMITED_BLUEPRINTS or not address:  # no address to count by (not over TCP)
            return None
        if method in ("GET", "HEAD"):
            self.take(self.read, address, endpoint, window_wanted=False)
            return None
        if method == "POST" and blueprint in CHECK_BLUEPRINTS:
            return self.take(self.check, address, CHECK_SCOPE, window_wanted=True)
        return None

    def take(self, item: RateLimitItem, *identifiers: str, window_wanted: bool) -> Window | None:
        """Count one request in a fixed window (what limits' FixedWindowRateLimiter does, without asking the
        storage for the count it has just answered): a round trip to the storage, and one more for when the
        window resets when the headers need it or the client is over. The window when wanted, else None."""
        key, expiry = item.key_for(*identifiers), item.get_expiry()
        storage = self.current()
        try:
            used = storage.incr(key, expiry)
            resets = storage.get_expiry(key) if window_wanted or used > item.amount else 0.0
        except Exception:  # noqa: BLE001 - any storage error: count in the fallback instead
            self.failed_at = time.monotonic()
            log.warning("rate-limit storage unreachable: counting on this machine alone, for now")
            used = self.fallback.incr(key, expiry)
            resets = self.fallback.get_expiry(key)
        window = Window(item.amount, max(0, item.amount - used), math.ceil(resets))
        if used > item.amount:
            wait = max(1, math.ceil(resets - time.time()))
            raise TooManyRequests(
                amount=item.amount, seconds=expiry, headers={"Retry-After": str(wait), **window.headers()}
            )
        return window if window_wanted else None

    def current(self) -> Storage:
        """The configured storage, or the fallback while the storage is failing and not yet due a retry."""
        if self.failed_at is None:
            return self.storage
        if time.monotonic() - self.failed_at < RETRY_STORAGE_SECONDS:
            return self.fallback
        if self.reachable():
            self.failed_at = None
            log.info("rate-limit storage reachable again")
            return self.storage
        self.failed_at = time.monotonic()
        return self.fallback

    def reachable(self) -> bool:
        """Whether the storage answers (memory always does)."""
        try:
            return bool(self.storage.check())
        except Exception:  # noqa: BLE001 - any storage error means not reachable
            return False

    def storage_state(self) -> str:
        """For /readyz: ``ok``; ``fallback`` while Redis fails and this machine counts alone; ``failed``."""
        if self.reachable():
            return "ok"
        log.warning("rate-limit storage unreachable")
        return "fallback" if self.kind == "redis" else "failed"
