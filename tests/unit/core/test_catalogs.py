"""The translation catalogs are found wherever the catalogs module lives (the build compiles them all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaints.core import catalogs

PACKAGE = Path(__file__).resolve().parents[3] / "complaints"


def test_compiling_writes_a_catalog_for_every_po_file() -> None:
    # After the move to core/ it looked one folder too high and compiled nothing, silently.
    po_files = sorted(PACKAGE.rglob("translations/*/LC_MESSAGES/messages.po"))
    assert len(po_files) >= 3
    assert catalogs.compile_all() == len(po_files)
    assert all(po.with_suffix(".mo").stat().st_size > 0 for po in po_files)


def test_the_untranslated_check_reads_the_catalogs() -> None:
    # An empty answer must mean "all translated", not "no catalog found".
    assert PACKAGE.parent == catalogs.ROOT
    assert list(catalogs.ROOT.glob("complaints/**/translations/zh_Hans/LC_MESSAGES/messages.po"))


# --- the check itself, on small made-up sources: each case must fail it ------------------------------------

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _tree(tmp_path: Path, entries: dict[str, str], files: dict[str, str]) -> Path:
    """A made-up source tree: one zh_Hans catalog with these entries, and these source files."""
    po = tmp_path / "complaints/translations/zh_Hans/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    body = "".join(
        f"msgid {json.dumps(k, ensure_ascii=False)}\nmsgstr {json.dumps(v, ensure_ascii=False)}\n\n"
        for k, v in entries.items()
    )
    po.write_text(PO_HEADER + body, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _problems(root: Path) -> list[str]:
    return [f"{where}: {problem}" for where, problem in catalogs.check(root=root)]


def test_a_clean_made_up_tree_passes(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"Status: %(status)s": "状态：%(status)s", "Network error": "网络错误，请重试。", "Phone calls": "电话"},
        {
            "templates/page.html": '<h2>{{ _("Status: %(status)s", status=s) }}</h2>'
            '<form data-network-error="{{ _(\'Network error\') }}" action="{{ url }}">{{ name }}.csv</form>'
            '<svg><rect fill="url(#{{ hatch }})"/></svg>',
            "static/js/app.js": 'text.textContent = form.dataset.networkError || "✓";\n'
            'out.textContent = n + " / " + max;\n'
            'canvas.setAttribute("aria-label", figure.getAttribute("data-chart-label") || data.title);',
            "complaints/labels.py": "from flask_babel import lazy_gettext as _l\n"
            'CHANNELS = {"call": _l("Phone calls")}\n',
        },
    )
    assert _problems(root) == []


def test_a_template_string_missing_from_the_catalog_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {}, {"templates/page.html": '<p>{{ _("Check status") }}</p>'})
    assert _problems(root) == ["templates/page.html:1: no Chinese translation: 'Check status'"]


def test_a_template_string_with_an_empty_translation_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"Check status": ""}, {"templates/page.html": '<p>{{ _("Check status") }}</p>'})
    assert _problems(root) == ["templates/page.html:1: no Chinese translation: 'Check status'"]


def test_a_python_label_without_a_translation_fails(tmp_path: Path) -> None:
    source = 'from flask_babel import lazy_gettext as _l\nCHANNELS = {"call": _l("Phone calls")}\n'
    root = _tree(tmp_path, {}, {"complaints/labels.py": source})
    assert _problems(root) == ["complaints/labels.py:2: no Chinese translation: 'Phone calls'"]


def test_a_python_label_without_gettext_in_a_label_table_fails(tmp_path: Path) -> None:
    source = (
        'from flask_babel import lazy_gettext as _l\nCHANNELS = {"call": _l("Phone calls"), "sms": "Text messages"}\n'
    )
    root = _tree(tmp_path, {"Phone calls": "电话"}, {"complaints/labels.py": source})
    assert _problems(root) == ["complaints/labels.py:2: label without gettext: 'Text messages'"]


def test_a_data_dictionary_description_without_gettext_fails(tmp_path: Path) -> None:
    source = 'COLUMNS = (Column("platform", "string", "Platform name in Chinese."),)\n'
    root = _tree(tmp_path, {}, {"complaints/datasets.py": source})
    assert _problems(root) == ["complaints/datasets.py:1: label without gettext: 'Platform name in Chinese.'"]


def test_a_data_dictionary_description_without_a_translation_fails(tmp_path: Path) -> None:
    source = (
        'from flask_babel import lazy_gettext as _l\nCOLUMNS = (Column("platform", "string", _l("Platform name.")),)\n'
    )
    root = _tree(tmp_path, {}, {"complaints/datasets.py": source})
    assert _problems(root) == ["complaints/datasets.py:2: no Chinese translation: 'Platform name.'"]


def test_a_routing_note_without_a_translation_fails(tmp_path: Path) -> None:
    notes = "rules:\n  - {match: violation, value: THR-01, regulator: POLICE, note: Violence goes to the police}\n"
    root = _tree(tmp_path, {}, {"complaints/data/routing.yaml": notes})
    assert _problems(root) == ["complaints/data/routing.yaml:2: no Chinese translation: 'Violence goes to the police'"]


def test_an_english_message_in_a_script_fails(tmp_path: Path) -> None:
    script = 'if (text) text.textContent = form.dataset.networkError || "Network error";\nalert("Upload failed");\n'
    root = _tree(tmp_path, {}, {"static/js/app.js": script})
    assert _problems(root) == [
        "static/js/app.js:1: message not from the catalog: 'Network error'",
        "static/js/app.js:2: message not from the catalog: 'Upload failed'",
    ]


def test_an_english_label_set_by_a_script_fails(tmp_path: Path) -> None:
    script = (
        'canvas.setAttribute("aria-label", data.title + " (see the table below)");\nx.setAttribute("role", "img");\n'
    )
    root = _tree(tmp_path, {}, {"static/js/stats.js": script})
    assert _problems(root) == ["static/js/stats.js:1: message not from the catalog: ' (see the table below)'"]


def test_chinese_in_a_script_fails_wherever_it_is(tmp_path: Path) -> None:
    script = "var hint = lang === 'en' ? 'see below' : '数据见下表';\n// 注释 is fine\n"
    root = _tree(tmp_path, {}, {"static/js/stats.js": script})
    assert _problems(root) == ["static/js/stats.js:1: message not from the catalog: '数据见下表'"]


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Status: %(status)s", "状态: %(status)s", "':'"),
        ("Status:", "状态:", "':'"),
        ("All time.", "全部时间.", "'.'"),
        ("Counts as of %(date)s.", "截至 %(date)s 的数字.", "'.'"),
        ("Ended at %(date)s.", "结束于%(date)s.", "'.'"),
        ("Call, then write.", "先打电话,再写信。", "','"),
        ("Sure?", "确定吗?", "'?'"),
        ("Stop!", "停!", "'?' or '!'"),
        ("Files (CSV)", "文件 (CSV)", "parenthesis"),
        ("Sources; data", "来源;数据", "';'"),
    ],
)
def test_ascii_punctuation_in_a_chinese_translation_fails(
    tmp_path: Path, source: str, translation: str, problem: str
) -> None:
    root = _tree(tmp_path, {source: translation}, {"templates/page.html": "{{ _(" + json.dumps(source) + ") }}"})
    found = _problems(root)
    assert len(found) == 1 and problem in found[0], found


@pytest.mark.parametrize(
    "translation",
    [
        "详见 https://example.org/rights.html。",
        "催收时间为 08:00–22:00。",
        "代码 THR-01、TP-03。",
        "比例为 1.5 倍。",
        "每页 1,000 行。",
        "文件为 UTF-8（带 BOM）。",
        "状态：%(status)s",
        "联系 help@example.org。",
    ],
)
def test_codes_numbers_urls_and_placeholders_keep_their_ascii_punctuation(tmp_path: Path, translation: str) -> None:
    source = "Status: %(status)s" if "%(status)s" in translation else "Some text."
    root = _tree(tmp_path, {source: translation}, {"templates/page.html": "{{ _(" + json.dumps(source) + ") }}"})
    assert _problems(root) == []


def test_a_translation_that_loses_a_placeholder_fails(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {"Received %(date)s": "已收到"}, {"templates/page.html": '{{ _("Received %(date)s", date=d) }}'}
    )
    assert _problems(root) == [
        "complaints/translations/zh_Hans/LC_MESSAGES/messages.po:5 'Received %(date)s': "
        "placeholders differ from the source string: '已收到'"
    ]


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ('<h2>{{ _("Status") }}: <span>{{ s }}</span></h2>', "after an expression: ': <span>'"),
        ('<p>{{ _("Counts") }} {{ period_label(p) }}.</p>', "after an expression: '.</p>'"),
        ('<p>{{ _("Platforms") }}, {{ n }}</p>', "after an expression: ','"),
        ('<p><a href="x">x</a> ({{ _("Frictionless Data Package") }})</p>', "before an expression"),
        ('<h2>{{ _("Complaints") + " (complaints.csv)" }}</h2>', "joined to an expression: ' (complaints.csv)'"),
        ("<span aria-label=\"{{ _('Per month') }}: {{ n }}\"></span>", "after an expression: ':'"),
        ("{% for c in cs %}{{ _(c) }}{% if not loop.last %}, {% endif %}{% endfor %}", "separator after a tag: ','"),
        ("<strong>{{ t }}</strong>{% if r %}: {{ r }}{% endif %}", "separator after a tag: ':'"),
    ],
)
def test_punctuation_glued_to_a_translated_string_in_a_template_fails(
    tmp_path: Path, template: str, problem: str
) -> None:
    entries = {
        "Status": "状态",
        "Counts": "数字",
        "Platforms": "平台",
        "Frictionless Data Package": "数据包",
        "Complaints": "投诉",
        "Per month": "每月",
    }
    root = _tree(tmp_path, entries, {"templates/page.html": template})
    found = _problems(root)
    assert found and all(f.startswith("templates/page.html:1: ") for f in found) and problem in found[0], found


def test_the_real_catalogs_and_sources_pass_the_check() -> None:
    # CI runs this: an untranslated string, Chinese text with ASCII punctuation, punctuation glued to a
    # translated string in a template, or a script's own English or Chinese words fail the build.
    problems = catalogs.check()
    assert problems == [], "\n".join(f"{where}: {problem}" for where, problem in problems[:40])
