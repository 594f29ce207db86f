"""Bảng mã của tệp nhập: which text encoding an uploaded CSV is read with (pure; no Django import).

Rule: a file is read as UTF-8 (with or without the byte-order mark) or as UTF-16 when it starts with its
byte-order mark. Anything else is refused with a message, unless the person names the encoding
(``--encoding cp1258``, ``--encoding latin-1``): a Windows-1258 (Vietnamese) file and a Latin-1 file are
both valid in either code page but give different letters, so guessing silently turns "Hà" into "HÃ "
or the reverse. Nothing is guessed.
"""

from __future__ import annotations

import codecs

ENCODING_HINT = "lưu lại dưới dạng \"CSV UTF-8\" hoặc chỉ rõ bảng mã (--encoding cp1258, --encoding latin-1)"


class TextEncodingError(ValueError):
    """The bytes are not in an encoding we may read without being told."""


def decode_text(data: bytes, *, encoding: str | None = None, field: str = "file") -> str:
    """The text of ``data``; raise TextEncodingError naming ``field`` and the rule when it cannot be read."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise TextEncodingError(f"{field}: không có bảng mã {encoding!r}") from None
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise TextEncodingError(f"{field}: tệp không đọc được bằng bảng mã {encoding} (byte thứ {exc.start + 1})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextEncodingError(
            f"{field}: tệp không phải UTF-8 (byte thứ {exc.start + 1} không hợp lệ); {ENCODING_HINT}"
        ) from None
