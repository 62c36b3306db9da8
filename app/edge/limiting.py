"""Rate limits by client address: a strict one for checks, a loose one for reads.

Counting is done by ``limits`` (the library Flask-Limiter is built on), in fixed windows,
in memory (each process counts on its own) or in Redis (RATELIMIT_STORAGE_URI=redis://...)
so that every worker on every machine shares one count. Our two limits are known at
start-up, so they are applied here directly, where Flask-Limiter works out which limits
apply on every request.

Counts in memory are kept by ``WindowCounts`` rather than limits' MemoryStorage, which starts
a thread every 10 ms while it holds counts, to drop expired ones: under load, a new thread
for every few requests, each taking its turn at the interpreter lock.

If the storage fails, counting falls back to memory, per process, and the log says so:
nothing stops being served, and limits still apply. The storage is tried again every
``RETRY_STORAGE_SECONDS``.

Plain Python, no Flask: the edge (``app.edge.middleware``) counts every request here, once.
"""

import logging
import math
import threading
import time
from typing import NamedTuple

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app.edge.problems import TooManyRequests

log = logging.getLogger("app")
RETRY_STORAGE_SECONDS = 10
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


class RateLimits:
    """The read and check limits, counted in the configured storage or, while it fails, in memory."""

    def __init__(self, storage_uri: str, read_limit: str, check_limit: str):
        self.in_memory = storage_uri.startswith("memory://")
        self.storage = WindowCounts() if self.in_memory else storage_from_string(storage_uri)
        self.counter = FixedWindowRateLimiter(self.storage)
        self.fallback = FixedWindowRateLimiter(WindowCounts())
        self.read = parse(read_limit)
        self.check = parse(check_limit)
        self.failed_at = None

    def count(self, method: str, endpoint: str, address: str) -> Window | None:
        """Count a request towards its limit: each read towards the read limit of its endpoint, each check
        towards the check limit. The check's window after it, for the X-RateLimit-* headers (a read is
        cached and shared, so one client's count would mislead the next), else None.

        Over a limit, TooManyRequests carries Retry-After and the X-RateLimit-* headers."""
        blueprint = endpoint.partition(".")[0]
        if blueprint in UNLIMITED_BLUEPRINTS:
            return None
        if method in ("GET", "HEAD"):
            if not self.hit(self.read, address, endpoint):
                raise self.refusal(self.read, address, endpoint)
            return None
        if method == "POST" and blueprint in CHECK_BLUEPRINTS:
            if not self.hit(self.check, address, CHECK_SCOPE):
                raise self.refusal(self.check, address, CHECK_SCOPE)
            return self.window(self.check, address, CHECK_SCOPE)
        return None

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        if not identifiers[0]:
            return True  # no address to count by (not over TCP): nothing to limit
        try:
            return self.current().hit(item, *identifiers)
        except Exception:  # noqa: BLE001 - any storage error: count in memory instead
            self.failed_at = time.monotonic()
            log.warning("rate-limit storage unreachable: counting in memory, per process, for now")
            return self.fallback.hit(item, *identifiers)

    def current(self) -> FixedWindowRateLimiter:
        """The storage's counter, or the fallback while the storage is failing and not yet due a retry."""
        if self.failed_at is None:
            return self.counter
        if time.monotonic() - self.failed_at < RETRY_STORAGE_SECONDS:
            return self.fallback
        if self.reachable():
            self.failed_at = None
            log.info("rate-limit storage reachable again")
            return self.counter
        self.failed_at = time.monotonic()
        return self.fallback

    def window(self, item: RateLimitItem, *identifiers: str) -> Window:
        try:
            stats = self.current().get_window_stats(item, *identifiers)
        except Exception:  # noqa: BLE001 - the storage failed since the hit: describe the fallback's count
            stats = self.fallback.get_window_stats(item, *identifiers)
        return Window(item.amount, stats.remaining, math.ceil(stats.reset_time))

    def refusal(self, item: RateLimitItem, *identifiers: str) -> TooManyRequests:
        """The 429 for a client over a limit, with the window's headers and how long to wait."""
        window = self.window(item, *identifiers)
        wait = max(1, math.ceil(window.reset - time.time()))
        return TooManyRequests(
            amount=item.amount, seconds=item.get_expiry(), headers={"Retry-After": str(wait), **window.headers()}
        )

    def reachable(self) -> bool:
        """Whether the storage answers (memory always does)."""
        try:
            return bool(self.storage.check())
        except Exception:  # noqa: BLE001 - any storage error means not reachable
            return False

    def storage_state(self) -> str:
        """``ok``, ``not used`` (in memory) or ``failed``, for /readyz."""
        if self.in_memory:
            return "not used"
        if self.reachable():
            return "ok"
        log.warning("rate-limit storage unreachable")
        return "failed"
