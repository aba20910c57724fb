"""Reading id parameters from a query string.

`str.isdigit()` is true for "²", "①", "٣" and "１", which `int()` then refuses (a 500), so every id
parameter goes through `ascii_int()`: ASCII digits only, anything else is "not given".
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits: still within a bigint


def is_ascii_int(value) -> bool:
    return isinstance(value, str) and _ASCII_DIGITS.fullmatch(value) is not None


def ascii_int(value) -> int | None:
    """The number in `value` when it is ASCII digits and nothing else, else None."""
    return int(value) if is_ascii_int(value) else None


def code_param(data, name: str) -> str:
    """`data[name]` (a query string) when it is a code in ASCII digits, else ""."""
    value = (data or {}).get(name, "")
    return value if is_ascii_int(value) else ""
