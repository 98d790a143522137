"""A broken catalogue file is refused with a message naming the file, the entry and the fault."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from justicework.law.catalogue import DATA_DIR, CatalogueError, load

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[str, Edit], Path]:
    def make(name: str, edit: Edit) -> Path:
        copy = tmp_path / "catalogue"
        shutil.copytree(DATA_DIR, copy)
        data = json.loads((copy / name).read_text(encoding="utf-8"))
        edit(data)
        (copy / name).write_text(json.dumps(data), encoding="utf-8")
        return copy

    return make


def _crime(data: dict[str, Any], crime_id: str) -> dict[str, Any]:
    return next(c for c in data["crimes"] if c["id"] == crime_id)


def test_the_shipped_catalogue_loads(tmp_path: Path) -> None:
    assert load(DATA_DIR).version


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "crimes.json",
            lambda d: _crime(d, "7(1)(a)")["elements"][1].update(ref="cah-atack"),
            r"crime 7\(1\)\(a\), element 2: refers to 'cah-atack', which is no shared element",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "7(1)(a)")["elements"][0].update(type="act"),
            r"crime 7\(1\)\(a\), element 1: type 'act' is not one of",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "7(1)(a)")["elements"][0].pop("citation"),
            r"crime 7\(1\)\(a\), element 1: 'citation' must be a non-empty text",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "7(1)(b)").update(id="7(1)(a)"),
            r"ids used more than once: 7\(1\)\(a\)",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "7(1)(b)").update(id="7.1.b"),
            r"crime 7\.1\.b: the id does not follow the official numbering",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "6(a)")["title"].pop("ar"),
            r"crime 6\(a\): no title in ar",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "6(a)").update(elements=[]),
            r"crime 6\(a\): has no elements and does not say why",
        ),
        (
            "crimes.json",
            lambda d: _crime(d, "8(2)(e)(xix)").update(added_by="asp-19-res-9"),
            r"added by 'asp-19-res-9', which is no known instrument",
        ),
        (
            "catalogue.json",
            lambda d: d["instruments"]["rc-res-5"].update(date="10 June 2010"),
            r"instrument 'rc-res-5': date is not YYYY-MM-DD",
        ),
        (
            "other_instruments.json",
            lambda d: d["other_instruments"][0].update(compared_with=["7(1)(f)", "7(1)(z)"]),
            r"cat-1: compares with \['8\(2\)\(a\)\(ii\)-1'\], not in 'compared_with'",
        ),
        (
            "liability.json",
            lambda d: d["modes_of_liability"][0].update(elements=[]),
            r"mode 25\(3\)\(a\)-direct: has no elements",
        ),
    ],
)
def test_a_broken_file_is_refused_with_its_fault_named(
    broken: Callable[[str, Edit], Path], name: str, edit: Edit, message: str
) -> None:
    with pytest.raises(CatalogueError, match=message):
        load(broken(name, edit))


def test_a_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "catalogue"
    shutil.copytree(DATA_DIR, copy)
    (copy / "liability.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"liability\.json: cannot be read"):
        load(copy)


def test_the_data_files_are_shipped_in_the_package() -> None:
    import glob
    import tomllib

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    package = DATA_DIR.parents[1]
    shipped = {
        Path(name)
        for pattern in patterns
        for name in glob.glob(pattern, root_dir=package, recursive=True)
    }
    files = {path.relative_to(package) for path in DATA_DIR.glob("*.json")}
    assert len(files) == 4
    assert files <= shipped
