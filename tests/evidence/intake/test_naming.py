from __future__ import annotations

import pytest

from justicework.evidence.intake import naming


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("/absolute/path/photo.jpg", "photo.jpg"),
        ("report\u202egpj.exe", "reportgpj.exe"),  # right-to-left override removed
        ("a\u2066b\u2069c.pdf", "abc.pdf"),  # isolates removed
        ("line\nbreak\x00nul\x1b[31m.txt", "linebreaknul[31m.txt"),
        ("  ..hidden.txt  ", "hidden.txt"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("\u200b\u200d", "unnamed"),
        ("Vidéo de l\u2019attaque.mp4", "Vidéo de l\u2019attaque.mp4"),
        ("صورة.jpg", "صورة.jpg"),
    ],
)
def test_names_are_neutralised(sent, shown):
    assert naming.neutralise(sent) == shown


def test_an_over_long_name_is_cut_keeping_its_extension():
    shown = naming.neutralise("x" * 5000 + ".jpeg")
    assert len(shown) <= naming.MAX_NAME
    assert shown.endswith("….jpeg")


def test_an_over_long_name_without_extension_is_cut():
    assert len(naming.neutralise("y" * 300)) == naming.MAX_NAME


def test_the_name_as_sent_is_kept_escaped():
    assert naming.escaped("a\u202eb\n.txt") == "a\\u202eb\\u000a.txt"


@pytest.mark.parametrize(("name", "ext"), [("a.JPG", "jpg"), ("noext", ""), (".bashrc", "")])
def test_extension(name, ext):
    assert naming.extension(name) == ext
