"""POST /v1/check's judgement, as plain modules with no Flask: what in a draft may breach the guidance.

- ``engine``: the precise rules (lexicons within word windows), from each version's ``rules.yaml``;
- ``model``: trained logistic regressions in two levels, from ``models/check/``, over the
  ``features`` it reads in a draft;
- ``judgement``: the two together, each finding with its basis, confidence and spans;
- ``language_id`` and ``welsh``: which language a draft is in, and Welsh mutations;
- ``schemas`` and ``service``: what the check reads validated (the request, rules, lexicons, corpus), and the answer the API gives;
- ``corpus``, ``training`` and ``evaluation``: the labelled drafts, the command that trains the
  model on them, and the command that measures the check on any labelled file.
"""


def load():
    """Read the language models and the check's model now, at start-up, not on the first check."""
    from app.check import language_id, model

    language_id.load()
    model.model()
