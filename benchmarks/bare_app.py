"""The yardstick: a bare Flask app that returns a fixed body of a given size, and nothing else.

``GET /bytes/<n>`` answers ``n`` bytes of JSON-ish text; ``POST /bytes/<n>`` reads the body first.
Run under the same gunicorn settings as the service, it shows what Flask and gunicorn cost alone.
"""

from functools import lru_cache

from flask import Flask, Response, request

app = Flask(__name__)


@lru_cache(maxsize=64)
def body(size):
    return b"x" * size


@app.route("/bytes/<int:size>", methods=["GET", "POST"])
def fixed(size):
    if request.method == "POST":
        request.get_data()
    if size == 0:
        return Response(status=304)
    return Response(body(size), mimetype="application/json")
