"""The command line's side of mapping checks: the columns (Kobo: field paths) of the file at
hand, and every problem of a mapping as plain lines (never a Python repr)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.dataio import schema as schemas
from justicework.dataio.errors import FileProblem
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.mapping_checks import check_mapping
from justicework.dataio.models import FileFormat
from justicework.dataio.profile import profile_file


def file_columns(path: Path, file_format: str, data: Any, kind: str) -> list[str] | None:
    """The columns of the file at ``path`` read with mapping ``data``'s file options; ``None``
    when ``data`` is not a mapping at all (its own check says why) or the file cannot be read
    (the import reports that itself, with its row)."""
    spec, _problems = MappingSpec.build(data, schemas.get(kind))
    if spec is None:
        return None
    try:
        return profile_file(path, file_format, spec).columns
    except FileProblem:
        return None


def checked_against_file(data: Any, kind: str, path: Path, file_format: str) -> MappingSpec:
    """Every check of mapping ``data``, against the columns of the file at hand."""
    columns = file_columns(path, file_format, data, kind)
    return check_mapping(
        data, schemas.get(kind), columns=columns, kobo=file_format == FileFormat.KOBO
    )


def problem_lines(exc: ValidationError | MappingError) -> str:
    """Every problem, one per line, each field's problems under its name."""
    if isinstance(exc, MappingError):
        problems = exc.problems
    elif hasattr(exc, "error_dict"):
        problems = [
            message if name in {"spec", "__all__"} else f"{name}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        problems = list(exc.messages)
    heading = _("The mapping has %(n)s problem(s):") % {"n": len(problems)}
    return "\n".join([heading, *(f"  - {p}" for p in problems)])
