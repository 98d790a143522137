from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from justicework.violations import vocabularies
from justicework.violations.vocabularies import (
    LANGUAGES,
    UnknownTerm,
    VocabularyError,
    VocabularyValidator,
    _parse,
)


def test_every_vocabulary_loads_with_five_languages() -> None:
    loaded = vocabularies.load_all()
    assert set(loaded) == set(vocabularies.NAMES)
    for vocabulary in loaded.values():
        assert len(vocabulary) > 0
        for term in vocabulary:
            assert set(LANGUAGES) <= set(term.labels)
            assert all(term.labels[lang].strip() for lang in LANGUAGES)


def test_vocabularies_are_loaded_once() -> None:
    assert vocabularies.get("methods") is vocabularies.get("methods")


def test_unknown_code_raises_a_clear_error() -> None:
    with pytest.raises(UnknownTerm) as excinfo:
        vocabularies.term("violation_types", "rapee")
    assert "rapee" in str(excinfo.value)
    assert "violation_types" in str(excinfo.value)


def test_unknown_vocabulary_is_refused() -> None:
    with pytest.raises(VocabularyError, match="no vocabulary 'nope'"):
        vocabularies.get("nope")


@pytest.mark.parametrize(
    "code",
    [
        "rape",
        "sexual_slavery",
        "enforced_prostitution",
        "forced_pregnancy",
        "enforced_sterilisation",
        "other_sexual_violence",
        "gender_persecution",
    ],
)
def test_sexual_and_gender_based_violence_types_are_explicit(code: str) -> None:
    term = vocabularies.term("violation_types", code)
    assert term.parent == "sgbv"
    assert "crimes_against_humanity" in term.crimes


def test_every_act_names_known_crimes_and_groupings_name_none() -> None:
    crimes = vocabularies.get("international_crimes")
    types = vocabularies.get("violation_types")
    for term in types:
        if term.extra.get("group"):
            assert term.parent is None
            assert term.crimes == []
        else:
            assert term.parent is not None
            for crime in term.crimes:
                assert crime in crimes
    assert "genocide" in types.term("rape").crimes
    assert types.term("enforced_disappearance").crimes[0] == "enforced_disappearance"
    assert "torture" in types.term("torture").crimes
    assert types.term("act_of_aggression").crimes == ["aggression"]


def test_hierarchy_helpers() -> None:
    types = vocabularies.get("violation_types")
    assert [t.code for t in types.ancestors("extrajudicial_execution")] == [
        "killing",
        "right_to_life",
    ]
    assert set(types.descendants("right_to_life")) >= {
        "right_to_life",
        "killing",
        "extrajudicial_execution",
        "attempted_killing",
    }
    assert "sgbv" in [t.code for t in types.roots()]
    assert "rape" in [t.code for t in types.leaves()]
    choices = dict(types.choices("fr"))
    assert choices["rape"].strip() == "Viol"


def test_labels_follow_the_active_language() -> None:
    from django.utils import translation

    term = vocabularies.term("source_reliability", "F")
    with translation.override("ar"):
        assert term.label() == term.labels["ar"]
    assert term.label("es-419") == term.labels["es"]
    assert term.label("de") == term.labels["en"]


def test_admiralty_scales_are_complete() -> None:
    assert [t.code for t in vocabularies.get("source_reliability")] == list("ABCDEF")
    assert [t.code for t in vocabularies.get("information_credibility")] == list("123456")


def test_validator_accepts_codes_and_refuses_others() -> None:
    validator = VocabularyValidator("methods")
    validator("beating")
    validator("")
    with pytest.raises(ValidationError) as excinfo:
        validator("bogus")
    assert excinfo.value.code == "unknown_term"
    assert validator == VocabularyValidator("methods")
    assert validator != VocabularyValidator("source_types")


def _labels() -> dict[str, str]:
    return dict.fromkeys(LANGUAGES, "x")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"terms": "no"}, "'terms' list"),
        ({"terms": ["a"]}, "term #0 is not an object"),
        ({"terms": [{"code": "a", "labels": ["A"]}]}, "term 'a' has no labels"),
        ({"terms": [{"labels": _labels()}]}, "has no code"),
        (
            {"terms": [{"code": "a", "labels": _labels()}, {"code": "a", "labels": _labels()}]},
            "appears twice",
        ),
        ({"terms": [{"code": "a", "labels": {"en": "A"}}]}, "lacks labels for fr, es, ru, ar"),
        ({"terms": [{"code": "a", "parent": "b", "labels": _labels()}]}, "unknown parent 'b'"),
        (
            {
                "terms": [
                    {"code": "a", "parent": "b", "labels": _labels()},
                    {"code": "b", "parent": "a", "labels": _labels()},
                ]
            },
            "parent cycle",
        ),
    ],
)
def test_malformed_files_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        _parse("test", json.loads(json.dumps(raw)))


@pytest.fixture
def vocabulary_dir(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """An empty directory in place of the shipped vocabularies (the cache forgotten both ways)."""
    monkeypatch.setattr(vocabularies, "DATA_DIR", tmp_path)
    vocabularies.get.cache_clear()
    yield tmp_path
    vocabularies.get.cache_clear()


def test_an_unreadable_file_names_the_vocabulary_and_the_file(vocabulary_dir) -> None:
    (vocabulary_dir / "methods.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"vocabulary 'methods': cannot read methods\.json"):
        vocabularies.get("methods")
    with pytest.raises(VocabularyError, match=r"cannot read source_types\.json"):
        vocabularies.get("source_types")  # missing


def test_an_act_naming_an_unknown_crime_is_refused(vocabulary_dir) -> None:
    def write(name: str, terms: list[dict]) -> None:
        (vocabulary_dir / f"{name}.json").write_text(json.dumps({"terms": terms}), "utf-8")

    write("international_crimes", [{"code": "war_crime", "labels": _labels()}])
    write(
        "violation_types",
        [{"code": "torture", "labels": _labels(), "crimes": ["war_crime", "piracy"]}],
    )
    with pytest.raises(VocabularyError, match="term 'torture' names unknown crime 'piracy'"):
        vocabularies.get("violation_types")


def test_equal_validators_hash_alike() -> None:
    assert len({VocabularyValidator("methods"), VocabularyValidator("methods")}) == 1
