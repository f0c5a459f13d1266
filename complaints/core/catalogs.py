"""Message catalogs: extract, update, compile and check, one catalog per area of the app.

Each area (core, officer, stats) keeps its own catalog next to its code, so that areas are
translated independently; Flask-Babel merges them at run time.
Run as ``python -m complaints.core.catalogs update|compile|check``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from complaints.core import catalog_rules

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("zh_Hans",)
METHOD_MAP = [
    ("complaints/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("complaints/data/routing.yaml", "complaints.core.catalogs:extract_routing_notes"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2)}


@dataclass(frozen=True)
class Area:
    """A part of the app with its own catalog, and the source paths it owns."""

    name: str
    directory: Path
    prefixes: tuple[str, ...]

    def owns(self, relative: str) -> bool:
        """Whether a source file's strings belong to this area's catalog."""
        return relative.startswith(self.prefixes)


AREAS = (
    Area(
        "officer",
        ROOT / "complaints/officer/translations",
        ("complaints/officer/", "templates/officer/", "complaints/data/routing.yaml"),
    ),
    Area(
        "stats",
        ROOT / "complaints/stats/translations",
        ("complaints/stats/", "complaints/api/", "templates/stats/"),
    ),
)
CORE = Area("core", ROOT / "complaints/translations", ("",))


def area_of(relative: str) -> Area:
    """The area a source file belongs to; everything unclaimed is core."""
    return next((area for area in AREAS if area.owns(relative)), CORE)


def _searched_directory(path: str) -> bool:
    """Whether extraction descends into a folder: not hidden ones or caches, but templates/_macros yes."""
    name = Path(path).name
    return not (name.startswith(".") or name in {"__pycache__", "node_modules"})


def extract_routing_notes(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: the notes of the seeded routing rules, which officers read in their language.

    A note a supervisor types later is shown as typed; the seeded ones are the English source strings.
    """
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for rule in (yaml.safe_load(text) or {}).get("rules", []):
        note = str(rule.get("note") or "")
        if note:
            lineno = next((n for n, line in enumerate(lines, 1) if f"note: {note}" in line), 0)
            yield lineno, None, note, []


def extract(root: Path = ROOT) -> dict[str, Catalog]:
    """Every translatable string in the sources, sorted into one template catalog per area."""
    templates = {area.name: Catalog(project="CollectWatch") for area in (*AREAS, CORE)}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        METHOD_MAP,
        keywords=KEYWORDS,
        strip_comment_tags=True,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.do"}},
        directory_filter=_searched_directory,
    ):
        relative = filename.replace("\\", "/")
        if relative.startswith(("tests/", ".venv/", "migrations/")):
            continue
        templates[area_of(relative).name].add(
            message, locations=[(relative, lineno)], auto_comments=comments, context=context
        )
    return templates


def _po_path(area: Area, locale: str) -> Path:
    return area.directory / locale / "LC_MESSAGES" / "messages.po"


def _translation_memory(locale: str) -> dict[Any, Any]:
    """Every finished translation of a locale, from every area's catalog."""
    memory: dict[Any, Any] = {}
    for area in (*AREAS, CORE):
        path = _po_path(area, locale)
        if path.exists():
            with path.open("rb") as handle:
                for message in read_po(handle, locale=locale):
                    if message.id and message.string and not message.fuzzy:
                        memory.setdefault(message.id, message.string)
    return memory


def update() -> None:
    """Add new strings to each area's catalogs and mark vanished ones obsolete; keep translations.

    A string whose source moved to another area's folder keeps its translation: new entries are
    filled from every catalog of the locale before the catalogs are rewritten.
    """
    memories = {locale: _translation_memory(locale) for locale in LOCALES}
    for area_name, template in extract().items():
        area = next(a for a in (*AREAS, CORE) if a.name == area_name)
        for locale in LOCALES:
            path = _po_path(area, locale)
            if path.exists():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=locale)
            else:
                if not len(template):
                    continue
                catalog = Catalog(locale=locale, project="CollectWatch")
            catalog.update(template, no_fuzzy_matching=True)
            for message in catalog:
                if message.id and not message.string and message.id in memories[locale]:
                    message.string = memories[locale][message.id]
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=0, omit_header=False, sort_output=False, ignore_obsolete=True)


def compile_all() -> int:
    """Write the .mo files next to every .po file; return how many were written."""
    written = 0
    for po in sorted(ROOT.glob("complaints/**/translations/*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written += 1
    return written


def untranslated(locale: str = "zh_Hans", root: Path = ROOT) -> list[tuple[str, str]]:
    """(source location, message) for every string without a finished translation."""
    translated: set[str] = set()
    for po in root.glob(f"complaints/**/translations/{locale}/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and not message.fuzzy:
                    values = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                    if all(values):
                        translated.add(message.id if isinstance(message.id, str) else message.id[0])
    missing = []
    for template in extract(root).values():
        for message in template:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if message.id and key not in translated:
                where = f"{message.locations[0][0]}:{message.locations[0][1]}" if message.locations else "?"
                missing.append((where, key))
    return missing


def _where(root: Path, path: Path, line: int | None = None) -> str:
    relative = path.relative_to(root).as_posix()
    return f"{relative}:{line}" if line is not None else relative


def translation_problems(locale: str = "zh_Hans", root: Path = ROOT) -> list[tuple[str, str]]:
    """(catalog entry, problem) for Chinese punctuation and lost placeholders in the finished translations."""
    problems: list[tuple[str, str]] = []
    for po in sorted(root.glob(f"complaints/**/translations/{locale}/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            where = f"{_where(root, po, message.lineno)} {ids[0]!r}"
            for string in strings:
                if not string:
                    continue
                problems.extend(
                    (where, f"{problem}: {string!r}") for problem in catalog_rules.chinese_punctuation(string)
                )
                if not any(catalog_rules.placeholders_kept(i, string) for i in ids):
                    problems.append((where, f"placeholders differ from the source string: {string!r}"))
    return problems


def source_problems(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source location, problem) for words the sources show without the catalog, or glue punctuation to."""
    problems: list[tuple[str, str]] = []
    for path in sorted(root.glob("templates/**/*.html")):
        for line, problem in catalog_rules.template_punctuation(path.read_text(encoding="utf-8")):
            problems.append((_where(root, path, line), f"{problem} (put it inside the translated string)"))
    for path in sorted(root.glob("static/js/**/*.js")):
        for line, literal in catalog_rules.script_messages(path.read_text(encoding="utf-8")):
            problems.append((_where(root, path, line), f"message not from the catalog: {literal!r}"))
    for path in sorted(root.glob("complaints/**/*.py")):
        for line, text in catalog_rules.python_labels(path.read_text(encoding="utf-8")):
            problems.append((_where(root, path, line), f"label without gettext: {text!r}"))
    return problems


def check(locale: str = "zh_Hans", root: Path = ROOT) -> list[tuple[str, str]]:
    """Everything ``catalogs check`` reports: untranslated strings, then punctuation and untranslatable words."""
    missing = [(where, f"no Chinese translation: {message!r}") for where, message in untranslated(locale, root)]
    return missing + translation_problems(locale, root) + source_problems(root)


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "update":
        update()
    elif command == "compile":
        print(f"compiled {compile_all()} catalogs")
    elif command == "check":
        problems = check()
        for where, problem in problems:
            print(f"{where}: {problem}")
        print(f"{len(problems)} problems (untranslated strings, punctuation, words outside the catalog)")
        return 1 if problems else 0
    else:
        print("usage: python -m complaints.core.catalogs update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
