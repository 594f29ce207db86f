"""`cchc catalog ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("catalog", help="(chưa có lệnh)")
