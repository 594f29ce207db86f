"""`cchc units ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("units", help="(chưa có lệnh)")
