"""The ``justicework`` console script: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    from justicework.encryption.filemodes import restrict_umask

    restrict_umask()  # before anything is written: files 0600, directories 0700
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justicework.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["justicework", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
