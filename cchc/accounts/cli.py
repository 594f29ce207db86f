"""`cchc users ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("users", help="(chưa có lệnh)")
