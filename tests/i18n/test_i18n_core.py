"""The shared language layer: choosing the language, catalogues that follow it, the pseudo-locale, formats."""

from __future__ import annotations

import textwrap
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor import catalogues, i18n
from auditor.i18n import Domain, pseudo_text


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["check", "x.yaml"], {}, "en"),
        (["check", "x.yaml"], {"LANG": "fr_CA.UTF-8"}, "fr"),
        (["check", "x.yaml"], {"LANG": "fr_CA.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        (["check", "x.yaml"], {"LC_ALL": "fr_FR", "LC_MESSAGES": "en_US.UTF-8"}, "fr"),
        (["--lang", "fr", "check"], {"LANG": "en_CA"}, "fr"),
        (["--lang=en", "check"], {"LANG": "fr_CA"}, "en"),
        (["--lang", "fr", "--lang", "en"], {}, "en"),
        (["--lang", "de"], {"LANG": "fr_CA"}, "fr"),  # argparse refuses 'de', in the locale's language
        (["--", "--lang", "fr"], {}, "en"),  # after --, an argument, not an option
    ],
)
def test_language_from_argv_then_locale(argv, env, expected):
    assert i18n.language_from_argv(argv, env) == expected


def test_set_language_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        i18n.set_language("de")
    assert i18n.current_language() == "en"


def test_locale_formats_follow_the_language():
    i18n.set_language("fr")
    assert i18n.format_date(date(2026, 12, 2)) == "2 décembre 2026"
    assert i18n.format_date(date(2026, 6, 1)) == "1er juin 2026"
    assert i18n.format_day(date(2026, 6, 1)) == "1er juin 2026"
    assert i18n.format_percent(0.93) == "93\u00a0%"
    assert i18n.format_decimal(2.5) == "2,5"
    assert i18n.format_datetime(datetime(2026, 12, 2, 14, 5)) == "2 décembre 2026 à 14 h 05"
    i18n.set_language("en")
    assert i18n.format_date(date(2026, 12, 2)) == "December 2, 2026"
    assert i18n.format_percent(0.93) == "93%"
    assert i18n.format_day(date(2026, 6, 1)) == "2026-06-01"  # English output keeps its ISO days


_FIELDS = st.from_regex(r"\{[a-z_]{1,8}(:[<>]?[0-9]{0,2})?\}", fullmatch=True)
_WORDS = st.text(alphabet=st.characters(blacklist_characters="{}[]`%", blacklist_categories=["Cs"]), max_size=12)


@given(st.lists(st.one_of(_WORDS, _FIELDS), max_size=8))
def test_pseudo_text_wraps_and_keeps_every_field(parts):
    message = "".join(parts)
    shown = pseudo_text(message)
    assert shown.startswith("⟦") and shown.endswith("⟧")
    assert catalogues._fields(shown) == catalogues._fields(message)
    # the same length: a layout that fits under the pseudo-locale fits in English
    assert len(shown) == len(message) + 2


def test_pseudo_text_keeps_markup_and_commands():
    assert pseudo_text("[b]Save[/b] with `rtw-audit check`") == "⟦[b]Såvé[/b] wîth `rtw-audit check`⟧"


def _tiny_domain(tmp_path, code: str) -> catalogues.CatalogueDomain:
    source = tmp_path / "src"
    source.mkdir()
    (source / "tool.py").write_text(textwrap.dedent(code), encoding="utf-8")
    entry = catalogues.CatalogueDomain(Domain(f"tiny-{tmp_path.name}", tmp_path / "locale"), sources=(source,))
    catalogues.register(entry)
    return entry


def test_update_check_compile_and_translate(tmp_path):
    entry = _tiny_domain(tmp_path, '''
        from x import _, ngettext, N_
        LABEL = N_("Cases")
        def f(n):
            return _("Hello {name}"), ngettext("{n} case", "{n} cases", n)
    ''')
    name = entry.domain.name
    try:
        catalogues.update([name])
        problems = [p.message for p in catalogues.check([name])]
        assert sum("untranslated" in p for p in problems) == 3
        assert any("compiled catalogue out of date" in p for p in problems)

        po = entry.domain.po_file("fr")
        text = po.read_text(encoding="utf-8")
        assert "nplurals=2; plural=(n > 1);" in text
        text = text.replace('msgid "Cases"\nmsgstr ""', 'msgid "Cases"\nmsgstr "Dossiers"')
        text = text.replace('msgid "Hello {name}"\nmsgstr ""', 'msgid "Hello {name}"\nmsgstr "Bonjour {nom}"')
        text = text.replace('msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "{n} dossier"\nmsgstr[1] "{n} dossiers"')
        po.write_text(text, encoding="utf-8")
        catalogues.compile_all([name])
        problems = [p.message for p in catalogues.check([name])]
        assert problems == ["the translation's {fields} differ from the English: 'Hello {name}'"]

        i18n.set_language("fr")
        assert entry.domain.gettext("Cases") == "Dossiers"
        assert [entry.domain.ngettext("{n} case", "{n} cases", n) for n in (0, 1, 2)] == \
            ["{n} dossier", "{n} dossier", "{n} dossiers"]
        assert entry.domain.gettext("Never extracted") == "Never extracted"
        i18n.set_language(i18n.PSEUDO)
        assert entry.domain.gettext("Cases") == "⟦Çåsés⟧"
        assert entry.domain.gettext("Never extracted") == "Never extracted"  # escaped the catalogue: visible
        i18n.set_language("en")
        assert entry.domain.gettext("Cases") == "Cases"

        (tmp_path / "src" / "tool.py").write_text('from x import _\n_("Goodbye")\n', encoding="utf-8")
        stale = [p.message for p in catalogues.check([name])]
        assert "not in the template (run update): 'Goodbye'" in stale
        assert "no longer in the sources (run update): 'Cases'" in stale
    finally:
        catalogues.DOMAINS.pop(name, None)


def test_the_shipped_catalogues_are_complete_and_compiled():
    """Every interface string of both tools has a current French translation, with its fields intact."""
    problems = catalogues.check()
    assert not problems, "\n".join(map(str, problems))
