"""The problems nginx answers itself (deploy/nginx/guidance.conf), written as the app writes them.

nginx refuses some requests before gunicorn sees them (too large, too slow, malformed) and answers
for a gunicorn that is down. deploy/nginx/problems/ holds those answers as files, in English and
Welsh, made here from the app's own Problems by the one error handler, so their words are the
app's:

    .venv/bin/python -m app.edge.nginx_problems deploy/nginx/problems

A test fails when the committed files differ from what this writes.
"""

import json
import sys
from pathlib import Path

from app.edge import problems

NGINX_BODY_SECONDS = 10  # client_body_timeout in deploy/nginx/guidance.conf
NGINX_LINE_BYTES = 8192  # large_client_header_buffers: a request line or a header at most one 8k buffer

PROBLEMS = {
    400: problems.MalformedRequest(),
    408: problems.RequestTimeout(seconds=NGINX_BODY_SECONDS),
    413: problems.PayloadTooLarge(),
    414: problems.RequestLineTooLong(limit=NGINX_LINE_BYTES),
    431: problems.HeadersTooLarge(fields=60, size=NGINX_LINE_BYTES),
    502: problems.Unavailable(status=502),
    503: problems.Unavailable(status=503),
    504: problems.Unavailable(status=504),
}


def bodies(app) -> dict[str, bytes]:
    """Each problem's body by its file name (``cy/502.json``), rendered by the app's error handler."""
    from app.edge.errors import problem_response

    written = {}
    for status, problem in PROBLEMS.items():
        for language in ("en", "cy"):
            with app.test_request_context("/v1/", headers={"Accept-Language": language}):
                body = json.loads(problem_response(problem).get_data())
            written[f"{language}/{status}.json"] = json.dumps(body, ensure_ascii=False, indent=2).encode() + b"\n"
    return written


def main(folder: str) -> None:
    from app import create_app

    for name, body in bodies(create_app()).items():
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


if __name__ == "__main__":
    main(sys.argv[1])
