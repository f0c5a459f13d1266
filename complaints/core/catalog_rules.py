"""The rules ``catalogs check`` holds the sources and the Chinese catalogs to, beyond "every string translated".

Each rule takes the text of one source (a translation, a template, a script, a Python module) and
returns what is wrong with it, so the tests can feed it small made-up sources:

- Chinese text uses Chinese punctuation: no ASCII ``:`` after a label, ``.`` at a sentence end,
  ``,`` ``;`` ``?`` ``!`` ``(`` ``)`` next to Chinese characters. URLs, codes, numbers (``08:00``,
  ``1.5``) and placeholders (``%(date)s``) are not Chinese text, so they may keep theirs.
- A translation keeps the placeholders of its source string.
- Templates do not glue punctuation to translated strings (``{{ _("Status") }}: …``, ``… }}.``):
  the punctuation belongs inside the translated string, where the translator can change it.
- Scripts take their words from the page (``data-`` attributes rendered with the catalog): no
  Chinese in a script, and no English string literal where text reaches the visitor.
- Python label tables and dataset columns say their words through ``gettext``/``lazy_gettext``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import jinja2

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_HAN = f"[{CJK}]"
#: What is not Chinese text inside a translation: placeholders, URLs, e-mail addresses.
_NOT_TEXT = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}|https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]")
_PUNCTUATION_RULES = (
    ("ASCII ':' in Chinese text (use '：')", re.compile(rf"{_HAN}\s*:(?!//)|:\s*{_HAN}")),
    ("ASCII '.' ending a Chinese sentence (use '。')", re.compile(rf"{_HAN}\s*\.(?=\s|$|{_HAN})")),
    ("ASCII ',' in Chinese text (use '，' or '、')", re.compile(rf"{_HAN}\s*,|,\s*{_HAN}")),
    ("ASCII ';' in Chinese text (use '；')", re.compile(rf"{_HAN}\s*;|;\s*{_HAN}")),
    ("ASCII '?' or '!' in Chinese text (use '？' '！')", re.compile(rf"{_HAN}\s*[?!]|[?!]\s*{_HAN}")),
    (
        "ASCII parenthesis next to Chinese text (use '（' '）')",
        re.compile(rf"{_HAN}\s*[()]|[()]\s*{_HAN}"),
    ),
)


def chinese_punctuation(translation: str) -> list[str]:
    """What is wrong with the punctuation of one Chinese translation (empty: nothing)."""
    if not re.search(_HAN, translation):
        return []
    text = _NOT_TEXT.sub("0", translation)
    found = [name for name, rule in _PUNCTUATION_RULES if rule.search(text)]
    if text.rstrip().endswith(".") and not text.rstrip().endswith("...") and not any("'.'" in f for f in found):
        found.append("ASCII '.' ending a Chinese sentence (use '。')")
    return found


def placeholders_kept(source: str, translation: str) -> bool:
    """Whether a translation has exactly the placeholders of its source string."""
    return sorted(_PLACEHOLDER.findall(source)) == sorted(_PLACEHOLDER.findall(translation))


_GLUED_AFTER = re.compile(r"^\s*[:;,?!)]|^\s*\.(?![\w/])")
_GLUED_BEFORE = re.compile(r"\(\s*$")
_TAG = re.compile(r"<[^>]*>")
#: Text that opens a function's parentheses (``url(#``, ``rotate(``): what follows is an argument, not prose.
_IN_CALL = re.compile(r"\w\(#?\s*$")


def _data_before(tokens: list[tuple[int, str, str]], end: int) -> str:
    """The template text just before the expression that ends at token ``end``."""
    i = end
    while i >= 0 and tokens[i][1] != "variable_begin":
        i -= 1
    return tokens[i - 1][2] if i > 0 and tokens[i - 1][1] == "data" else ""


#: A list's ASCII separator (``{% if not loop.last %}, {% endif %}``) or a colon opening a conditional part.
_SEPARATOR = re.compile(r"^\s*[,;]\s*$|^\s*:\s")
_LITERAL_PUNCTUATION = re.compile(r"^\s*(?:[:;,?!()]|\.(?!\w))|(?:[:;,?!()]|(?<!\w)\.)\s*$")


def template_punctuation(source: str) -> list[tuple[int, str]]:
    """(line, problem) for punctuation a template glues to its output, outside the translated strings.

    Text right after ``}}`` that starts with ``:`` ``.`` ``,`` ``;`` ``?`` ``!`` or ``)`` (tags aside),
    text right before ``{{`` that ends with ``(``, a list separator ``,``/``;`` or an opening ``: ``
    right after ``%}``, and a string literal joined (``+``/``~``) to an expression that starts or
    ends with such punctuation. ``{{ name }}.csv`` is a file name, not a
    sentence end.
    """
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    tokens = [token for token in env.lex(source) if token[1] != "whitespace"]
    found: list[tuple[int, str]] = []
    for i, (line, kind, value) in enumerate(tokens):
        if kind == "data":
            visible = _TAG.sub("", value)
            in_call = _IN_CALL.search(_data_before(tokens, i - 1))  # url(#{{ id }}): CSS, not text
            if i and tokens[i - 1][1] == "variable_end" and _GLUED_AFTER.search(visible) and not in_call:
                found.append((line, f"punctuation after an expression: {value.strip()[:20]!r}"))
            if i + 1 < len(tokens) and tokens[i + 1][1] == "variable_begin" and _GLUED_BEFORE.search(visible):
                found.append((line, f"punctuation before an expression: {value.strip()[-20:]!r}"))
            if i and tokens[i - 1][1] == "block_end" and _SEPARATOR.search(visible):
                found.append((line, f"separator after a tag: {value.strip()[:20]!r}"))
        elif kind == "string":
            joined = (i and tokens[i - 1][2] in ("+", "~")) or (i + 1 < len(tokens) and tokens[i + 1][2] in ("+", "~"))
            literal = value[1:-1]
            if joined and _LITERAL_PUNCTUATION.search(literal):
                found.append((line, f"punctuation joined to an expression: {literal!r}"))
    return found


_JS_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)""",
    re.S,
)
#: Where a script's text reaches the visitor.
_JS_SINK = re.compile(
    r"""\.(?:textContent|innerText|innerHTML|title|placeholder|label|alt)\s*(?:=(?!=)|\+=)"""
    r"""|\b(?:alert|confirm|prompt)\s*\("""
    r"""|setAttribute\(\s*\x00\d+\x00\s*,"""
)
_USER_ATTRIBUTES = ("aria-label", "aria-description", "title", "placeholder", "alt", "value")
_WORD = re.compile(r"[A-Za-z]{2,}")
#: A literal that names an attribute or an element (the words are read from it), not one shown.
_NAMES_A_NODE = re.compile(r"(?:getAttribute|hasAttribute|querySelector|querySelectorAll|closest|getElementById)\(\s*$")


def script_messages(source: str) -> list[tuple[int, str]]:
    """(line, literal) for the words a script would show that do not come from the page.

    Any string literal with Chinese in it, and any literal with a word in it on the right of a
    user-facing sink (``.textContent =``, ``alert(``, ``setAttribute("aria-label", …)`` …) up to the
    end of its statement. Words belong in the template, as a ``data-`` attribute through ``_()``.
    """
    literals: list[tuple[int, str]] = []
    parts: list[str] = []
    last = 0
    for match in _JS_TOKEN.finditer(source):
        parts.append(source[last : match.start()])
        if match.group("string"):
            line = source.count("\n", 0, match.start()) + 1
            parts.append(f"\x00{len(literals)}\x00")
            literals.append((line, match.group("string")[1:-1]))
        else:
            parts.append(" " * 0 + "\n" * match.group().count("\n"))
        last = match.end()
    parts.append(source[last:])
    code = "".join(parts)
    flagged: set[int] = {n for n, (_, text) in enumerate(literals) if re.search(_HAN, text)}
    for sink in _JS_SINK.finditer(code):
        if sink.group().startswith("setAttribute"):
            attribute = literals[int(re.search(r"\x00(\d+)\x00", sink.group()).group(1))][1]  # type: ignore[union-attr]
            if attribute not in _USER_ATTRIBUTES:
                continue
        end = re.compile(r"[;\n]").search(code, sink.end())
        statement = code[sink.end() : end.start() if end else len(code)]
        for found in re.finditer(r"\x00(\d+)\x00", statement):
            number = int(found.group(1))
            if _WORD.search(literals[number][1]) and not _NAMES_A_NODE.search(statement[: found.start()]):
                flagged.add(number)
    return [literals[n] for n in sorted(flagged)]


#: Calls whose arguments are words a visitor reads: (positional indexes, keyword names).
LABEL_ARGUMENTS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "Column": ((2,), ("description",)),
    "Breakdown": ((0, 1), ("title", "column", "note")),
    "Dimension": ((), ("dataset",)),
}
_GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "N_"}


def _is_words(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(re.search(r"[A-Za-z]", node.value))


def _is_gettext(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _GETTEXT


def python_labels(source: str) -> list[tuple[int, str]]:
    """(line, text) for labels a Python module states without gettext.

    A dataset column's description, a breakdown's title, column name and note, a dimension's
    dataset description (``LABEL_ARGUMENTS``), and a plain string among the values of a dict whose
    other values are translated (a label table with one label forgotten).
    """
    found: list[tuple[int, str]] = []

    def plain(node: ast.AST) -> Iterator[ast.Constant]:
        if _is_words(node):
            yield node  # type: ignore[misc]
        elif isinstance(node, ast.BinOp):  # "…" "…" concatenated or joined with +
            yield from plain(node.left)
            yield from plain(node.right)

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in LABEL_ARGUMENTS:
                positions, keywords = LABEL_ARGUMENTS[name]
                arguments = [a for i, a in enumerate(node.args) if i in positions]
                arguments += [k.value for k in node.keywords if k.arg in keywords]
                for argument in arguments:
                    found.extend((c.lineno, str(c.value)) for c in plain(argument))
        elif isinstance(node, ast.Dict) and any(_is_gettext(v) for v in node.values):
            found.extend((v.lineno, str(v.value)) for v in node.values if isinstance(v, ast.Constant) and _is_words(v))
    return sorted(found)
