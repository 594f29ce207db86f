"""`cchc index ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("index", help="(chưa có lệnh)")
