"""Shared pieces of the bad-input tests: forms found in the rendered pages, hostile values, raw encodings.

The forms are read from the HTML the app serves, so a form added tomorrow is fuzzed without anyone
listing its fields here.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

from flask.testing import FlaskClient
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.budget import within_budget


@dataclass
class FormSpec:
    """One <form> of a page: where it goes, how, and its fields with the values the page offers."""

    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → offered values (options, checkbox values)

    @property
    def path(self) -> str:
        """The action without its query string."""
        return urlsplit(self.action).path or self.page


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = FormSpec(self.page, a.get("action") or self.page, (a.get("method") or "get").upper())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._form is not None and self._select:
                self._form.fields[self._select].append(a.get("value", ""))
            return
        name = a["name"]
        values = self._form.fields.setdefault(name, [])
        if tag == "select":
            self._select = name
        elif tag == "input" and a.get("type") not in ("submit", "button", "file") and "value" in a:
            values.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(client: FlaskClient, url: str) -> list[FormSpec]:
    """Every form on the page at url (none when the page does not answer 200)."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    parser = _FormParser(urlsplit(url).path)
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def discover(client: FlaskClient, urls: list[str]) -> list[FormSpec]:
    """The distinct forms (by method, action path and field names) on the given pages."""
    seen: dict[tuple[str, str, tuple[str, ...]], FormSpec] = {}
    for url in urls:
        for form in forms_on(client, url):
            seen.setdefault((form.method, form.path, tuple(sorted(form.fields))), form)
    return list(seen.values())


#: Values a person or a script might send where something else was expected.
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u200f\u200e",  # right-to-left override and direction marks
    "\ufeff",
    "😀👨‍👩‍👧‍👦🏳️‍🌈",
    "催收人员威胁我的家人",
    "ｃｗ－２０２６－０００００１",
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "Infinity",
    "-0",
    "0x10",
    "١٢٣",  # Arabic-Indic digits, which int() accepts
    "9" * 30,
    "-" + "9" * 19,
    "2026-02-30",
    "0000-00-00",
    "99999-12-31",
    "2026-13-45",
    "CW-2026-000001",
    "THR-01",
    "all",
    "2026-Q5",
    "%",
    "_",
    "'; DROP TABLE complaints;--",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    '=HYPERLINK("x")',
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "a" * 6000,
    "中" * 20000,
]

#: UTF-8 that decodes badly: lone surrogates as CESU-8, overlong forms, stray continuation bytes.
RAW_BYTES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\xaf", b"\x80\x80", b"\xff\xfe", b"a\xe4\xb8", b"\xf4\x90\x80\x80"]

#: The zero of every script's decimal digits (full-width, Arabic-Indic, Devanagari, … mathematical bold):
#: `\d`, `int()` and `str.isdigit()` read all of them as numbers.
DIGIT_ZEROS = sorted(
    chr(code)
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) == "Nd" and unicodedata.digit(chr(code)) == 0
)

#: Well-formed values of what the app parses from outside: periods, ids, dates, references, codes, a page key.
WELL_FORMED = [
    "2026",
    "2026-11",
    "2026-Q4",
    "12",
    "1",
    "2026-11-03",
    "CW-2026-000001",
    "cw2026000001",
    "THR-01",
    "2026-11-03T05:33:00+00:00~12",
    "13800138000",
    "10690000123",
]

#: What goes around or into a value on its way in: CR/LF, controls, a huge tail.
WRAPPERS = [
    "{}\r\nX-Injected: 1",
    "{}\n",
    "\r\n{}",
    "{}\x00",
    "{}\x7f",
    "{}\u2028",
    " {} ",
    "{}" + "9" * 5000,
    "+{}",
    "-{}",
]


#: The well-formed value an attacker starts from, for each query parameter the views read.
WELL_FORMED_FOR = {
    "period": "2026",
    "from": "2026-11-03",
    "to": "2026-11-30",
    "after": "2026-11-03T05:33:00+00:00~12",
    "before": "12",
    "q": "CW-2026-000001",
    "reference": "CW-2026-000001",
    "code": "THR-01",
    "violation": "THR-01",
    "province": "44",
    "next": "/statistics/?period=2026",
    "answers": "overdue",
    "show": "answered",
    "page": "2",
}

#: Ways to bend a well-formed value: its digits in other scripts, CR/LF, controls, a huge tail.
ATTACKS = {
    "full-width digits": "０",
    "arabic-indic digits": "٠",
    "devanagari digits": "०",
    "mathematical bold digits": "𝟎",
    # digits to str.isdigit() but not to int(): "²".isdigit() is True, int("²") raises
    "superscript digits": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "CR/LF": "{}\r\nX-Injected: 1",
    "controls": "\x00{}\x7f\x85",
    "huge": "{}" + "9" * 5000,
}


def attacked(value: str, attack: str) -> str:
    """The value as the attack bends it."""
    how = ATTACKS[attack]
    if len(how) == 10:
        return value.translate(str.maketrans("0123456789", how))
    if len(how) == 1:
        zero = ord(how)
        return "".join(chr(zero + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in value)
    return how.format(value)


@st.composite
def attacker_values(draw: st.DrawFn) -> str:
    """A value the app would accept, with its digits in another script, or wrapped in CR/LF, controls or size.

    These are what broke the app from outside (`?period=２０２６` never ended); random text rarely hits them.
    """
    value = draw(st.sampled_from(WELL_FORMED))
    if draw(st.booleans()):
        zero = ord(draw(st.sampled_from(DIGIT_ZEROS)))
        value = "".join(chr(zero + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in value)
    if draw(st.booleans()):
        value = draw(st.sampled_from(WRAPPERS)).format(value)
    return value


texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(ODD_VALUES),
    attacker_values(),
)
Value = str | bytes
values: st.SearchStrategy[Value] = st.one_of(texts, st.sampled_from(RAW_BYTES))


def field_values(offered: list[str]) -> st.SearchStrategy[list[Value]]:
    """One value, several (a list where a scalar is expected), or none; offered values half the time."""
    one = st.one_of(st.sampled_from(offered), values) if offered else values
    return st.one_of(st.lists(one, min_size=1, max_size=1), st.lists(one, min_size=0, max_size=4))


@st.composite
def form_data(draw: st.DrawFn, form: FormSpec, extra_names: list[str]) -> list[tuple[str, Value]]:
    """Pairs for a form: a subset of its fields (repeated keys allowed) and sometimes a stranger's field."""
    names = sorted(form.fields)
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    pairs: list[tuple[str, Value]] = []
    for name in chosen:
        pairs.extend((name, v) for v in draw(field_values(form.fields[name])))
    if extra_names and draw(st.booleans()):
        pairs.extend((draw(st.sampled_from(extra_names)), v) for v in draw(field_values([])))
    return pairs


@st.composite
def near_valid(draw: st.DrawFn, form: FormSpec, valid: dict[str, str]) -> list[tuple[str, Value]]:
    """A submission the form would take (`valid`'s values, else those the page offers), some fields bent.

    Random pairs rarely get past a form's validation; these reach what lies behind it (the operation,
    the database, the page that shows what was stored) with one or more hostile values.
    """

    def good(name: str, offered: list[str]) -> st.SearchStrategy[str]:
        if name in valid:
            return st.just(valid[name])
        return st.sampled_from(offered) if offered else st.just(WELL_FORMED_FOR.get(name, "12"))

    base = {name: draw(good(name, offered)) for name, offered in sorted(form.fields.items())}
    names = sorted(base)
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))) if names else []:
        bent = st.sampled_from(sorted(ATTACKS)).map(lambda attack, value=base[name]: attacked(value, attack))
        base[name] = draw(st.one_of(bent, texts))
    return list(base.items())


def encode(pairs: list[tuple[str, Value]]) -> str:
    """application/x-www-form-urlencoded (or a query string) from pairs, raw bytes kept as they are."""

    def raw(value: Value) -> bytes:
        return value if isinstance(value, bytes) else value.encode("utf-8")

    return "&".join(f"{quote_from_bytes(raw(k), safe='')}={quote_from_bytes(raw(v), safe='')}" for k, v in pairs)


#: What one fuzzed request may take: seconds of wall clock (generous, for a loaded CI machine) and
#: growth of the process's peak memory. `?period=２０２６` took for ever and grew without bound.
SECONDS_BUDGET = 15
MEMORY_BUDGET_MB = 300


def send(client: FlaskClient, method: str, path: str, pairs: list[tuple[str, Value]]) -> TestResponse:
    """Send the pairs as a query string (GET) or a urlencoded body (POST), within the time and memory budget."""
    body = encode(pairs)
    with within_budget((method, path, pairs), SECONDS_BUDGET, MEMORY_BUDGET_MB):
        if method == "GET":
            return client.get(f"{path}?{body}" if body else path)
        return client.post(path, data=body.encode("ascii"), content_type="application/x-www-form-urlencoded")
