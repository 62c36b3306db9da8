"""POST /v1/check's judgement, as plain modules with no Flask: what in a draft may breach the guidance.

- ``engine``: the precise rules (lexicons within word windows), from each version's ``rules.yaml``;
- ``language_id`` and ``welsh``: which language a draft is in, and Welsh mutations;
- ``schema`` and ``service``: the request's body, and the answer the API gives;
- ``evaluation``: measures the check on labelled drafts.
"""


def load():
    """Read the language models now, at start-up, not on the first check."""
    from app.check import language_id

    language_id.load()
