"""Welsh "and" before a date: "a" or "ac" and the aspirate mutation, for every month and every day of a month."""

import shutil
from datetime import date

import pytest

from app import create_app
from app.editor import publishing
from app.guidance.negotiation import today
from app.guidance.wording import with_and
from tests.conftest import CONTENT, UNLIMITED
from tests.editor.commands import edit, run

# Each month as it follows "a": "ac" before a vowel; c, p and t take the aspirate mutation; ch does not change.
MONTHS = [
    ("Ionawr", "ac Ionawr"),
    ("Chwefror", "a Chwefror"),
    ("Mawrth", "a Mawrth"),
    ("Ebrill", "ac Ebrill"),
    ("Mai", "a Mai"),
    ("Mehefin", "a Mehefin"),
    ("Gorffennaf", "a Gorffennaf"),
    ("Awst", "ac Awst"),
    ("Medi", "a Medi"),
    ("Hydref", "a Hydref"),
    ("Tachwedd", "a Thachwedd"),
    ("Rhagfyr", "a Rhagfyr"),
]
# Each day in digits as it follows "a", by how it is read: "ac" where the number begins with a vowel.
DAYS = [
    "ac 1 Awst 2027",  # un
    "a 2 Awst 2027",  # dau
    "a 3 Awst 2027",  # tri
    "a 4 Awst 2027",  # pedwar
    "a 5 Awst 2027",  # pump
    "a 6 Awst 2027",  # chwech
    "a 7 Awst 2027",  # saith
    "ac 8 Awst 2027",  # wyth
    "a 9 Awst 2027",  # naw
    "a 10 Awst 2027",  # deg
    "ac 11 Awst 2027",  # un ar ddeg
    "a 12 Awst 2027",  # deuddeg
    "a 13 Awst 2027",  # tri ar ddeg
    "a 14 Awst 2027",  # pedwar ar ddeg
    "a 15 Awst 2027",  # pymtheg
    "ac 16 Awst 2027",  # un ar bymtheg
    "a 17 Awst 2027",  # dau ar bymtheg
    "a 18 Awst 2027",  # deunaw
    "a 19 Awst 2027",  # pedwar ar bymtheg
    "ac 20 Awst 2027",  # ugain
    "ac 21 Awst 2027",  # un ar hugain
    "a 22 Awst 2027",  # dau ar hugain
    "a 23 Awst 2027",  # tri ar hugain
    "a 24 Awst 2027",  # pedwar ar hugain
    "a 25 Awst 2027",  # pump ar hugain
    "a 26 Awst 2027",  # chwech ar hugain
    "a 27 Awst 2027",  # saith ar hugain
    "ac 28 Awst 2027",  # wyth ar hugain
    "a 29 Awst 2027",  # naw ar hugain
    "a 30 Awst 2027",  # deg ar hugain
    "ac 31 Awst 2027",  # un ar ddeg ar hugain
]


@pytest.mark.parametrize("month, joined", MONTHS, ids=[m for m, _ in MONTHS])
def test_each_month_after_and(month, joined):
    assert month in publishing.MONTHS["cy"]
    assert with_and(f"{month} 2027") == f"{joined} 2027"


@pytest.mark.parametrize("joined", DAYS, ids=lambda j: j.split()[1])
def test_each_day_of_a_month_after_and(joined):
    assert with_and(joined.split(" ", 1)[1]) == joined


@pytest.mark.parametrize(
    "phrase, joined",
    [
        ("2021", "a 2021"),  # dwy fil
        ("8000", "ac 8000"),  # wyth mil
        ("Cymru", "a Chymru"),
        ("Penfro", "a Phenfro"),
        ("Thachwedd", "a Thachwedd"),
        ("hydref", "a hydref"),
        ("ŵyl", "ac ŵyl"),
        ("TACHWEDD", "a THACHWEDD"),
    ],
)
def test_other_phrases_after_and(phrase, joined):
    assert with_and(phrase) == joined


@pytest.fixture()
def august_and_november(tmp_path):
    """The real content, with versions from August and November next year made by the editors' command; the
    August one adds a section, removes one and changes a responsibility."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    year = today().year + 1
    august, november = date(year, 8, 1), date(year, 11, 1)
    for effective in (august, november):
        made = run(content, "new-version", "--effective", effective.isoformat(), "--note-en", "x", "--note-cy", "y")
        assert made.exit_code == 0, made.output
        if effective == august:
            for language, heading in (("en", "Generative AI"), ("cy", "Deallusrwydd artiffisial")):

                def revise(data, heading=heading):
                    data["sections"] = [s for s in data["sections"] if s["id"] != "introduction"]
                    data["sections"].append({"id": "ai", "heading": heading, "blocks": [{"paragraph": heading}]})
                    data["responsibilities"][0]["text"] += " Always."

                edit(content / august.isoformat() / f"{language}.yaml", revise)
    return create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client(), year, august, november


def test_the_welsh_changes_between_versions_join_their_dates_as_welsh_does(august_and_november):
    client, year, august, november = august_and_november

    def changes(old, new, language):
        path = f"/v1/guidance/versions/{old}/changes/{new}?lang={language}&format=html"
        return client.get(path).get_data(as_text=True)

    welsh = changes("2021-02-01", august, "cy")
    assert f"Newidiadau rhwng Chwefror 2021 ac Awst {year}</h2>" in welsh
    assert "Ychwanegwyd: <ins>Deallusrwydd artiffisial</ins>" in welsh
    assert "Tynnwyd: <del>Cyflwyniad</del>" in welsh
    assert "Newidiwyd: " in welsh and "Wedi'i" not in welsh
    assert f"Newidiadau rhwng Awst {year} a Thachwedd {year}</h2>" in changes(august, november, "cy")
    assert f"Changes from February 2021 to August {year}</h2>" in changes("2021-02-01", august, "en")
