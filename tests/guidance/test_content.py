"""The content on disk: complete, faithful to the seed, linked properly, and refused when broken."""

import re
import shutil

import pytest
import yaml

from app import create_app
from app.check.engine import fold
from app.guidance.content import ContentError, load_library
from tests.conftest import CONTENT, DATA, REMINDERS_IN_ORDER, add_version

CIVIL_SERVICE_CODE = {
    "en": "https://www.gov.uk/government/publications/civil-service-code/the-civil-service-code",
    "cy": "https://llyw.cymru/node/27857",
}


@pytest.fixture(scope="module")
def library():
    return load_library(CONTENT)


def seed_sentences():
    """Each sentence of the seed, with its Markdown markup removed."""
    text = (DATA / "seed-guidance-2021-02.md").read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "")
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:-|\d+\.)\s+", "", line).strip()
        sentences += [s for s in re.split(r"(?<=[.!?;])\s+(?=[A-Z0-9])", line) if s]
    return sentences


def normalise(text):
    """Fold the one presentational difference, the dash between a reminder's title and text."""
    return re.sub(r"\s+", " ", text.replace("–", "-"))


def served_text(document):
    parts = [document["title"], document["label"], document["summary"]["text"]]
    parts += [s["heading"] + "\n" + s["text"] for s in document["sections"]]
    return normalise("\n".join(parts))


def test_every_sentence_of_the_seed_is_served_in_english(library):
    served = served_text(library.get("2021-02-01").document("en"))
    sentences = seed_sentences()
    assert len(sentences) > 30
    missing = [s for s in sentences if normalise(s) not in served]
    assert missing == []


def test_the_first_version_takes_effect_on_1_february_2021(library):
    version = library.get("2021-02-01")
    assert version.effective_from.isoformat() == "2021-02-01"
    assert version.document("en")["label"] == "February 2021"
    assert version.document("cy")["label"] == "Chwefror 2021"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_structure_ids_are_the_guidance_own(library, language):
    document = library.get("2021-02-01").document(language)
    assert [r["id"] for r in document["responsibilities"]] == [
        "official-information",
        "political-activity",
        "policy-comment",
        "controversial-issue",
        "personal-attack",
    ]
    assert [r["id"] for r in document["reminders"]] == REMINDERS_IN_ORDER
    assert [v["id"] for v in document["core_values"]] == ["integrity", "honesty", "objectivity", "impartiality"]


def test_welsh_core_values_are_the_codes_own(library):
    names = [v["name"] for v in library.get("2021-02-01").document("cy")["core_values"]]
    assert names == ["hygrededd", "gonestrwydd", "gwrthrychedd", "didueddrwydd"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_links_are_real_and_go_to_the_code_in_the_same_language(library, language):
    document = library.get("2021-02-01").document(language)
    html = document["summary"]["html"] + "".join(s["html"] for s in document["sections"])
    html += "".join(r["html"] for r in document["reminders"])
    targets = re.findall(r'href="([^"]*)"', html)
    assert targets, "the Civil Service Code must be linked"
    assert set(targets) == {CIVIL_SERVICE_CODE[language]}
    assert 'href="#"' not in html


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_internal_staff_notice_is_a_reference_without_a_link(library, language):
    document = library.get("2021-02-01").document(language)
    notice = next(r for r in document["references"] if r["id"] == "staff-notice-january-2020")
    assert "url" not in notice and notice["note"]
    security = next(r for r in document["reminders"] if r["id"] == "security")
    assert "<a " not in security["html"]


def broken_copy(tmp_path, edit, filename="en.yaml"):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    path = target / "2021-02-01" / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target, path


def test_a_missing_field_stops_the_app_naming_file_and_field(tmp_path):
    target, path = broken_copy(tmp_path, lambda d: d["sections"][1].pop("heading"))
    with pytest.raises(ContentError) as raised:
        create_app({"GUIDANCE_CONTENT_DIR": str(target)})
    assert str(path) in str(raised.value)
    assert "sections.1.heading" in str(raised.value)


def test_reminders_out_of_order_are_refused(tmp_path):
    target, _path = broken_copy(tmp_path, lambda d: d["reminders"].reverse(), "cy.yaml")
    with pytest.raises(ContentError, match=r"cy\.yaml: reminders"):
        load_library(target)


def test_a_welsh_text_without_its_twin_section_is_refused(tmp_path):
    target, _path = broken_copy(tmp_path, lambda d: d["sections"].pop(0), "cy.yaml")
    with pytest.raises(ContentError, match=r"cy\.yaml: sections: does not match en\.yaml"):
        load_library(target)


def test_a_missing_language_file_is_refused(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    (target / "2021-02-01" / "cy.yaml").unlink()
    with pytest.raises(ContentError, match=r"cy\.yaml: file is missing"):
        load_library(target)


def test_two_versions_on_the_same_date_are_refused(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    shutil.copytree(target / "2021-02-01", target / "2021-02-01-copy")
    with pytest.raises(ContentError, match="same date"):
        load_library(target)


def test_raw_html_in_content_is_escaped(tmp_path):
    target, _ = broken_copy(tmp_path, lambda d: d.update(summary="<script>alert(1)</script> text"))
    summary = load_library(target).get("2021-02-01").document("en")["summary"]
    assert "<script>" not in summary["html"]
    assert "&lt;script&gt;" in summary["html"]


LEXICON_FILES = sorted((CONTENT / "lexicons").glob("*.yaml"))


@pytest.mark.parametrize("path", LEXICON_FILES, ids=[p.stem for p in LEXICON_FILES])
def test_a_lexicon_reads_as_policy_one_term_a_line_in_order(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    for language in ("en", "cy"):
        terms = data.get(language, [])
        assert terms == sorted(terms, key=lambda term: (fold(term), term)), f"{language}: sort the terms"
        assert len([line for line in lines if line.startswith("  - ")]) == sum(
            len(data.get(k, [])) for k in ("en", "cy", "regex")
        )


def test_a_term_twice_in_a_lexicon_stops_the_app_naming_the_file(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    path = target / "lexicons" / "party.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["cy"].append(data["cy"][0].upper())
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"party\.yaml: cy: .* again, once folded"):
        load_library(target)


def test_a_version_may_override_a_shared_lexicon(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    add_version(target, "2023-06-01", " (2023)", "Second version.", "Ail fersiwn.")
    rules = target / "2023-06-01" / "rules.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    data["lexicons"] = {"party": {"en": ["monster raving loony party"], "cy": ["plaid y loonies"]}}
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library = load_library(target)

    def found(draft):
        return {v.id: [f.rule.id for f in v.rules.check(draft, ["en"], "personal").findings] for v in library.versions}

    assert found("Please vote for the Monster Raving Loony Party!") == {
        "2021-02-01": [],
        "2023-06-01": ["political-activity"],
    }
    assert found("Out canvassing for the Welsh Conservatives all day") == {
        "2021-02-01": ["political-activity"],
        "2023-06-01": [],
    }
