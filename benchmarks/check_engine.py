"""Benchmark of the check in process: per-call time for a 280-character post and a 5,000-character one,
by the rules alone, and as a check runs it (language detection, rules and model, findings explained).

Run: .venv/bin/python -m benchmarks.check_engine
"""

import statistics
import time

from app import check
from app.check import language_id
from app.check.engine import Draft
from app.check.judgement import judge
from app.check.model import model
from app.guidance.content import PROJECT_CONTENT, load_library

ENGLISH = (
    "Between us, the minister is going to announce the hospital closure on Tuesday. Honestly the 20mph "
    "policy is ridiculous and Kevin in finance is a lazy waste of space. Unconfirmed, but pass it on! "
)
WELSH = (
    "Rhyngom ni, mae'r Gweinidog yn mynd i gyhoeddi bod yr ysbyty'n cau ddydd Mawrth. Pleidleisiwch dros "
    "Lafur! Mae'r polisi 20mya yn hurt. Llun o fy nesg gyda chyfrinair y wifi ar y nodyn yn y gornel. "
)


def post_of(length, sample):
    return (sample * (length // len(sample) + 1))[:length]


def per_call(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def judged(rules, trained, text):
    """As a check with language ``auto`` does it: the draft read once, for detection, rules and model."""
    draft = Draft(text)
    return judge(rules, trained, draft, language_id.lexicon_languages("auto", language_id.identify(draft)), "personal")


def main():
    rules = load_library(PROJECT_CONTENT).versions[-1].rules
    check.load()
    trained = model()
    print(f"{'post':26} {'rules median':>13} {'rules min':>10} {'whole check median':>19}")
    for language, sample in (("en", ENGLISH), ("cy", WELSH)):
        for length in (280, 5000):
            text = post_of(length, sample)
            repeat = 2000 if length == 280 else 200
            engine, fastest = per_call(
                lambda text=text, language=language: rules.check(text, [language], "personal"), repeat
            )
            full, _ = per_call(lambda text=text: judged(rules, trained, text), repeat)
            print(f"{language} {length:>5} characters      {engine:>10.3f} ms {fastest:>7.3f} ms {full:>16.3f} ms")


if __name__ == "__main__":
    main()
