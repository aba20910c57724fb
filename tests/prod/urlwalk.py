"""Every URL pattern of the project, as a concrete path a test client can request.

Walks get_resolver().url_patterns recursively (namespaces included) and fills path converters
and regex groups with plausible values, so a view added by any branch is covered without being
named here. A pattern that cannot be filled is reported, never skipped silently.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

# A value for each path converter; the first that the converter's regex accepts is used.
CONVERTER_SAMPLES = {
    "int": "1",
    "str": "1",
    "path": "1",
    "slug": "x-1",
    "uuid": str(uuid.UUID(int=1)),
}
# Candidates tried against a regex group, in order.
REGEX_SAMPLES = ["1", "62", "x", "x-1", "2019-04-23", str(uuid.UUID(int=1)), "a/b"]


@dataclass(frozen=True)
class WalkedURL:
    path: str           # "/admin/personnel/officer/1/change/"
    route: str          # the pattern as written, for messages
    name: str | None    # "admin:personnel_officer_change", or None for an unnamed pattern


def _fill_route(route: str, pattern) -> str | None:
    converters = getattr(pattern, "converters", {})

    def sample(match: re.Match) -> str:
        conv, name = match.group(1), match.group(2)
        converter = converters.get(name)
        candidates = [CONVERTER_SAMPLES.get(conv or "str", "1"), *REGEX_SAMPLES]
        for candidate in candidates:
            if converter is None or re.fullmatch(converter.regex, candidate):
                return candidate
        raise ValueError(f"no sample for <{conv}:{name}>")

    try:
        return re.sub(r"<(?:(\w+):)?(\w+)>", sample, route)
    except ValueError:
        return None


def _matching_paren(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced parentheses")


def _fill_regex(regex: str) -> str | None:
    body = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
            continue
        if ch == "(":
            end = _matching_paren(body, i)
            group = body[i + 1:end]
            inner = re.sub(r"^\?P<\w+>|^\?:", "", group)
            first_alternative = inner.split("|")[0]
            literal = [first_alternative] if re.escape(first_alternative) == first_alternative else []
            for candidate in [*literal, *REGEX_SAMPLES]:
                if re.fullmatch(inner, candidate):
                    out.append(candidate)
                    break
            else:
                return None
            i = end + 1
            continue
        if ch in ".*+?[]{}|^$":
            return None  # a regex outside a group: too clever to fill; reported by the caller
        out.append(ch)
        i += 1
    return "".join(out)


def _walk(patterns, prefix: str, namespace: str | None, found: list, unfilled: list) -> None:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = _fill_route(str(pattern), pattern)
        elif isinstance(pattern, RegexPattern):
            piece = _fill_regex(pattern.regex.pattern)
        else:  # LocalePrefixPattern and the like
            piece = str(pattern.describe()).strip("'") if hasattr(pattern, "describe") else ""
        if piece is None:
            unfilled.append(prefix + str(pattern))
            continue
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            _walk(entry.url_patterns, prefix + piece, child_ns, found, unfilled)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append(WalkedURL(path="/" + prefix + piece, route=prefix + str(pattern), name=name))


def all_urls() -> tuple[list[WalkedURL], list[str]]:
    """(every pattern as a path that resolves, patterns that could not be filled)."""
    found: list[WalkedURL] = []
    unfilled: list[str] = []
    _walk(get_resolver().url_patterns, "", None, found, unfilled)
    resolvable = []
    for url in found:
        try:
            resolve(url.path)
        except Resolver404:
            unfilled.append(url.route)
            continue
        resolvable.append(url)
    return resolvable, unfilled


def resolved_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


NON_HTML_SUFFIXES = (".pdf", ".xlsx", ".xls", ".csv", ".json", ".svg", ".png", ".zip", ".txt", ".ods")


def is_non_html(path: str) -> bool:
    return path.lower().rstrip("/").endswith(NON_HTML_SUFFIXES) or "/export" in path.lower()
