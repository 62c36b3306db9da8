"""What every request needs, done once: proxies, request ids, limits, logs, metrics, security and CORS headers, errors, health."""
