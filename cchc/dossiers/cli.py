"""`cchc dossiers ...` commands."""

from __future__ import annotations


def register(sub) -> None:
    sub.add_parser("dossiers", help="(chưa có lệnh)")
