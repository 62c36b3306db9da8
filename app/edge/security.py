"""Security headers: the same on every response, so they are worked out once, from the settings.

The pages run no script and load nothing from elsewhere; only the embedding origins may frame
them. HSTS goes only with responses served over HTTPS (directly or behind a trusted proxy).
"""

HSTS = "max-age=31536000; includeSubDomains"


def security_headers(embed_origins: list[str]) -> list[tuple[str, str]]:
    """The headers every response carries (the edge adds them, but to a 304)."""
    policy = {
        "default-src": "'self'",
        "script-src": "'none'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": " ".join(["'self'", *embed_origins]),
    }
    return [
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "; ".join(f"{name} {value}" for name, value in policy.items())),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
