"""How long a response may be cached (RFC 9111): published history never changes, today's answer may."""

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


def cache_control(version, requested_day, today, dated):
    """A dated URL, or any answer for a past day, is immutable once its version is in force; else five minutes."""
    if version.effective_from <= today and (dated or requested_day < today):
        return IMMUTABLE
    return SHORT
