# ruff: noqa: RUF001  # the alphabets are Cyrillic and Arabic on purpose
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justicework.violations.translit import name_key, transliterate


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Олександр Петренко", "Oleksandr Petrenko"),
        ("Александр", "Aleksandr"),
        ("Ivan Petrov", "Петров Иван"),
        ("Щербак", "Shcherbak"),
        ("Жуков", "Zhukov"),
        ("محمد", "Mohammed"),
        ("أحمد", "Ahmed"),
        ("خالد", "Khaled"),
        ("قاسم", "Kassem"),
        ("يوسف", "Youssef"),
        ("Юсуф", "Yusuf"),
        ("فاطمة", "Fatima"),
        ("José  GARCÍA", "garcia jose"),
    ],
)
def test_the_same_name_in_different_scripts_meets(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Ivan Petrov", "Olena Kovalenko"), ("Omar", "Amina")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_transliteration_is_latin() -> None:
    assert transliterate("Олена Коваленко") == "olena kovalenko"
    assert transliterate("محمد") == "mhmd"


words = st.lists(
    st.text(
        alphabet="абвгдежзиклмнопрстуфхцчшщыэюяabcdefghijklmnopqrstuvwxyzمحدخلقسيوف",
        min_size=1,
        max_size=8,
    ),
    min_size=1,
    max_size=4,
)


@given(words)
def test_name_key_ignores_case_order_and_spacing(parts: list[str]) -> None:
    name = " ".join(parts)
    assert name_key(name) == name_key("  ".join(reversed(parts)).upper())


@given(st.text(max_size=60))
def test_name_key_is_plain_latin_words_in_order(text: str) -> None:
    key = name_key(text)
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz ")
    assert key.split() == sorted(key.split())
