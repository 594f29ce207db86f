"""`cchc calendar ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("calendar", help="(chưa có lệnh)")
