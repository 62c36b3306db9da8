"""The check engine on its own: Welsh mutations, folding, context, spans, verdicts. No Flask."""

import pytest

from app.check import language_id, welsh
from app.check.engine import Draft, Lexicons, fold, tokenize
from app.guidance.content import load_library
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def rules():
    return load_library(CONTENT).get("2021-02-01").rules


def rule_ids(rules, text, language, account="personal"):
    return {finding.rule.id for finding in rules.check(text, [language], account).findings}


@pytest.mark.parametrize(
    "radical, mutated",
    [
        ("plaid", "blaid"),
        ("plaid", "mhlaid"),
        ("plaid", "phlaid"),
        ("llafur", "lafur"),
        ("polisi", "bolisi"),
        ("polisi", "pholisi"),
        ("polisi", "mholisi"),
        ("llywodraeth", "lywodraeth"),
        ("adran", "hadran"),
        ("gweinidog", "weinidog"),
        ("cyfrinair", "nghyfrinair"),
        ("treth", "nhreth"),
        ("rhyfel", "ryfel"),
    ],
)
def test_a_welsh_radical_yields_its_mutations(radical, mutated):
    assert mutated in welsh.forms(radical)


def test_letters_of_their_own_do_not_mutate():
    assert welsh.forms("theatr") == {"theatr"}
    assert welsh.forms("ffordd") == {"ffordd"}


def test_folding_ignores_case_accents_and_apostrophe_style():
    assert fold("FFŴL") == fold("ffwl") == "ffwl"
    assert fold("Mae’r") == fold("mae'r")


def test_tokens_keep_code_point_offsets_and_split_hashtags():
    text = "Diolch 🏴 #VoteLabour"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["diolch", "vote", "labour"]
    assert [text[t.start : t.end] for t in tokens] == ["Diolch", "Vote", "Labour"]


@pytest.mark.parametrize(
    "text",
    [
        "Pleidleisiwch dros Lafur ddydd Iau!",
        "Curo drysau dros Blaid Cymru heno.",
        "Ymgyrchu gyda Phlaid Cymru yn y dref.",
        "Allan yn canfasio dros y Blaid Lafur ym Mangor.",
    ],
)
def test_welsh_party_politics_is_found_through_mutations(rules, text):
    assert "political-activity" in rule_ids(rules, text, "cy")


@pytest.mark.parametrize(
    "text, language, rule",
    [
        ("Vote Labour on Thursday!", "en", "political-activity"),
        ("Canvassing for Plaid Cymru in Caernarfon tonight.", "en", "political-activity"),
        ("The 20mph policy is ridiculous.", "en", "policy-comment"),
        ("Mae'r polisi 20mya yn hurt.", "cy", "policy-comment"),
        ("Mae ei bolisi treth yn wastraff arian llwyr.", "cy", "policy-comment"),
        ("Mae'r dyn yna'n ffwl.", "cy", "personal-attack"),
        ("Honestly, he is such a tool.", "en", "personal-attack"),
        ("Mae'r dyn yna'n ffŵl.", "cy", "personal-attack"),
        ("Mae'r boi newydd mor dwp â phostyn, dw i ddim yn gwybod sut gafodd e'r swydd.", "cy", "personal-attack"),
        ("Here's the door code for the office: 4821", "en", "security"),
        ("Rhannwch cyn iddo gael ei ddileu!", "cy", "accuracy"),
    ],
)
def test_breaches_are_found_in_context(rules, text, language, rule):
    assert rule in rule_ids(rules, text, language)


@pytest.mark.parametrize(
    "text, language",
    [
        ("Vote for us in the choir final on Saturday!", "en"),
        ("Lovely garden party at my aunt's today.", "en"),
        ("Restoring this old cottage has been a labour of love.", "en"),
        ("New plaid shirt for the ceilidh tonight.", "en"),
        ("Wedi cael polisi yswiriant newydd i'r car heddiw.", "cy"),
        ("Applications for the Welsh Government graduate scheme are open, apply now!", "en"),
        ("Mae gen i o blaid cacen siocled bob tro.", "cy"),
        ("Just reset my password, remember to use a password manager.", "en"),
        ("Bydd y bont ar gau o ddydd Llun am bythefnos, cynlluniwch eich taith.", "cy"),
        ("Sefydliad hurt o hen sy'n dal i gynnal sioe bob haf, dwi wrth fy modd.", "cy"),
        ("I'm such an idiot, locked my keys in the car again.", "en"),
        ("What an idiot I am, forgot my lunch.", "en"),
        ("Git is a great tool for version control.", "en"),
        ("Saw a blue tit in the garden today!", "en"),
        ("Dw i'n ffŵl weithiau, wedi anghofio fy allweddi eto.", "cy"),
    ],
)
def test_everyday_words_in_innocent_context_are_not_flagged(rules, text, language):
    assert rule_ids(rules, text, language) == set()


def test_an_official_account_may_comment_on_policy_but_nothing_else_changes(rules):
    text = "The 20mph policy is ridiculous. Vote Labour!"
    assert rule_ids(rules, text, "en", "personal") == {"policy-comment", "political-activity"}
    assert rule_ids(rules, text, "en", "official") == {"political-activity"}


def test_verdict_follows_the_worst_severity(rules):
    assert rules.check("Sunday roast with the family.", ["en"], "personal").verdict == "ok"
    assert rules.check("The 20mph policy is ridiculous.", ["en"], "personal").verdict == "review"
    assert rules.check("Vote Labour on Thursday!", ["en"], "personal").verdict == "do-not-post"


def test_spans_point_at_the_words_that_matter(rules):
    text = "Honestly, the 20mph policy is ridiculous."
    finding = rules.check(text, ["en"], "personal").findings[0]
    assert {text[start:end] for start, end in finding.spans} == {"20mph", "policy", "ridiculous"}


def test_reminders_come_in_the_guidance_order(rules):
    result = rules.check("Unconfirmed, but the school is closing. Pass it on!", ["en"], "personal")
    assert result.reminders == ["accuracy", "permanent", "doubts"]
    assert rules.check("Lovely day.", ["en"], "personal").reminders == ["common-sense", "permanent"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sunday roast at my nan's, best gravy in Swansea.", "en"),
        ("Cinio dydd Sul gyda'r teulu, y grefi gorau yn Abertawe.", "cy"),
        ("Finally finished my Welsh course, diolch to the brilliant tutors!", "en"),
        ("Curo drysau heno, dewch i ymuno â ni. Knocking doors tonight, come and join us!", "mixed"),
        ("Cawl on the stove and daffodils on every desk.", "en"),
        ("Our choir's singing at the Eisteddfod on Thursday, come and cheer us on from the Maes!", "en"),
        ("Lush cawl heddiw, diolch Mam", "cy"),
        ("Llongyfarchiadau enfawr i dîm rygbi merched Cymru", "cy"),
        ("Proud of the team", "en"),
    ],
)
def test_the_language_of_a_draft_is_detected(text, expected):
    assert language_id.detect(text) == expected


def test_lexicons_follow_the_caller_then_a_settled_language_else_both():
    assert language_id.lexicon_languages("cy", language_id.identify("Vote Labour on Thursday!")) == ["cy"]
    assert language_id.lexicon_languages("auto", language_id.identify("We are going to the beach today.")) == ["en"]
    assert language_id.lexicon_languages("auto", language_id.identify("Mae hi'n braf iawn heddiw yn y dref.")) == ["cy"]
    unsettled = language_id.identify("Vote Plaid Cymru")
    assert not unsettled.settled
    assert language_id.lexicon_languages("auto", unsettled) == ["en", "cy"]


def test_language_markers_are_validated_and_belong_to_one_language():
    from marshmallow import ValidationError

    from app.check.schemas import LanguageMarkersSchema

    words = [f"word{n}" for n in range(20)]
    with pytest.raises(ValidationError, match="one language only: the"):
        LanguageMarkersSchema().load(
            {"en": words + ["the"], "cy": words[:0] + ["the"] + [f"gair{n}" for n in range(20)]}
        )
    with pytest.raises(ValidationError):
        LanguageMarkersSchema().load({"en": words})
    folded = language_id.markers()
    assert not folded["en"] & folded["cy"], "no two markers fold to the same word"


def test_a_prefix_matches_through_every_mutation_even_when_one_is_short():
    """gwe* soft-mutates to we*: two letters, shorter than the engine's buckets, and still found."""
    lexicons = Lexicons({"weave": {"cy": ["gwe*"]}}, ["cy"])
    found = lexicons.find(Draft("Gwehydd a wehydd a gwe.").words)
    assert found == [(0, 0, "weave"), (2, 2, "weave"), (4, 4, "weave")]
