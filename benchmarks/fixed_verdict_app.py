"""The service with the check engine's work replaced by one fixed answer, for benchmarks/http.py.

A check through it still goes through everything around the engine (gunicorn, app.front_checks
or Flask, parsing and validating the body, limits, the log line and metrics, the JSON answer)
but reads nothing of the draft. Its ratio to the bare app is the most a check can reach however
fast the engine is.
"""

from app import front_checks
from app.check import service as checking
from app.negotiation import today
from app.views import check as check_view
from benchmarks.http import POST_280
from wsgi import app

_answer = checking.check_draft(
    app.extensions["guidance_library"].in_force_on(today()), POST_280, "auto", "personal", "en"
)
check_view.check_draft = front_checks.check_draft = lambda *args: _answer
