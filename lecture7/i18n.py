"""The package's words in the learner's language: English (the default) or Traditional Chinese, 繁體中文 (zh-TW).

    lecture7.set_language("zh-TW")   # what the package prints, raises and draws from now on: in Chinese
    lecture7.set_language("en")      # back to English, byte for byte as without this module

One gettext catalogue per language, lecture7/locale/<language>.po, read with polib when the language is first
chosen: its msgid is the English text, or an English template with {placeholders}; the template is translated,
then formatted, so numbers and code names come out the same in every language.

- `_(text, **values)` gives `text` in the current language (a dict look-up), formatted with `values`.
- `N_(text, **values)` marks a text defined now and shown later (a Mistake's words, a case label, a title
  defined at import time): it returns a `Message`, a str whose value is the English text (so it compares,
  hashes and prints as English everywhere), and `_(message)` gives it in the language of the moment it is shown.
- `D_` is `_` for text that matplotlib draws: in Chinese only when a CJK font is there to draw it (see
  set_language), so that a figure never shows a box for a missing glyph.

The ast scan of tests/test_i18n.py finds every literal passed to these three, which must all be in the catalogue.
"""
import warnings
from pathlib import Path

LANGUAGES = ("en", "zh-TW")
DEFAULT = "en"
LOCALE = Path(__file__).with_name("locale")
# CJK fonts matplotlib may find, the best for Taiwan's glyph forms first: Noto Sans CJK TC (Debian's fonts-noto-cjk),
# then WenQuanYi (fonts-wqy-microhei, 1.6 MB, what CI installs), then what macOS and Windows come with
CJK_FONTS = ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Source Han Sans TW", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "PingFang TC", "Heiti TC", "Microsoft JhengHei", "Noto Sans CJK JP", "Noto Sans CJK SC",
             "Noto Sans CJK KR", "Source Han Sans SC", "Droid Sans Fallback", "AR PL UMing TW", "AR PL UKai TW",
             "Arial Unicode MS")
# file names of those fonts, for a font installed after matplotlib built its font cache
CJK_FILES = ("notosanscjk", "notoserifcjk", "notosanstc", "sourcehansans", "wqy-microhei", "wqy-zenhei", "droidsansfallback",
             "uming", "ukai")

_language = DEFAULT
_catalogue = {}   # msgid → msgstr of the current language ({} for English)
_drawn = {}       # the same for text matplotlib draws: {} unless a CJK font draws it
_catalogues = {}  # language → its catalogue, read once
_font = {"name": None, "saved": None, "set": None}   # the CJK font in use, the rcParams it replaced, the ones it set


class Message(str):
    """A text to show later, in the language of that moment: `template` formatted with `values`.

    Its str value is the English text, so that it compares, hashes, formats and prints as the English one;
    `_(message)` gives it in the current language, with every Message among its values translated too."""

    def __new__(cls, template, **values):
        message = super().__new__(cls, template.format(**values) if values else template)
        message.template, message.values = template, values
        return message

    def __reduce__(self):   # pickle and deepcopy: the template and values, not the English text alone
        return _message, (self.template, self.values)

    def translated(self, catalogue=None):
        catalogue = _catalogue if catalogue is None else catalogue
        text = catalogue.get(self.template, self.template)
        if not self.values:
            return text
        return text.format(**{k: v.translated(catalogue) if isinstance(v, Message) else v for k, v in self.values.items()})


def _message(template, values):
    return Message(template, **values)


def _(text, /, **values):
    """`text` (an English text or template, or a Message) in the current language, formatted with `values`."""
    if isinstance(text, Message):
        return text.translated()
    translated = _catalogue.get(text, text)
    return translated.format(**values) if values else translated


def N_(text, /, **values):
    """`text` as a Message: English now, translated by `_` where it is shown."""
    return Message(text, **values)


def D_(text, /, **values):
    """`_` for text that matplotlib draws: translated only when a CJK font can draw it."""
    if isinstance(text, Message):
        return text.translated(_drawn)
    translated = _drawn.get(text, text)
    return translated.format(**values) if values else translated


def or_list(words):
    """The words as alternatives: "a, b or c" (in Chinese 「a」、「b」或「c」)."""
    words = list(words)
    if len(words) == 1:
        return words[0]
    if len(words) == 2:
        return _("{first} or {last}", first=words[0], last=words[1])
    return _("{first}, {rest}", first=words[0], rest=or_list(words[1:]))


def get_language():
    """The language the package prints and draws in: "en" or "zh-TW"."""
    return _language


def set_language(language):
    """Print, raise and draw in `language` from now on: "en" (the default) or "zh-TW" (Traditional Chinese).

    With "zh-TW" matplotlib's sans-serif fonts start with an installed CJK font (so that a figure draws its Chinese
    and any Chinese of your own); "en" puts back the fonts it replaced. Without a CJK font, figures keep their English
    words and a warning says what to install: they never show boxes for missing glyphs.
    """
    global _language, _catalogue, _drawn
    if language not in LANGUAGES:
        raise ValueError(_("unknown language {language!r}; the languages are {languages}", language=language,
                           languages=", ".join(map(repr, LANGUAGES))))
    if language == DEFAULT:
        _language, _catalogue, _drawn = language, {}, {}
        _restore_fonts()
        return
    catalogue = _catalogues.get(language)
    if catalogue is None:
        catalogue = _catalogues[language] = read_catalogue(language)
    font = _use_cjk_font()
    _language, _catalogue, _drawn = language, catalogue, catalogue if font else {}
    if not font:
        warnings.warn(_("no CJK font for matplotlib to draw Chinese with: figures keep their English words (the printed "
                        "text is in Chinese). Install one and restart the kernel: on Debian or Ubuntu `apt-get install "
                        "fonts-wqy-microhei` (1.6 MB) or `apt-get install fonts-noto-cjk`; macOS and Windows come with one"),
                      stacklevel=2)


def read_catalogue(language):
    """{msgid: msgstr} of lecture7/locale/<language>.po: its translated entries (not the fuzzy or empty ones)."""
    import polib

    po = polib.pofile(str(LOCALE / f"{language}.po"))
    return {entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags}


def cjk_font():
    """The name of an installed CJK font matplotlib can use (the first of CJK_FONTS found), or None."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    names = {font.name for font in manager.ttflist}
    found = next((name for name in CJK_FONTS if name in names), None)
    if found is None:
        # a font installed after matplotlib built its cache: add it for this process
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known and any(part in Path(path).name.lower().replace("-", "").replace("_", "")
                                         for part in (p.replace("-", "") for p in CJK_FILES)):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {font.name for font in manager.ttflist}
        found = next((name for name in CJK_FONTS if name in names), None)
    return found


def _use_cjk_font():
    """Put an installed CJK font first in matplotlib's sans-serif list, and DejaVu Sans after the sans-serif family for
    the few symbols a CJK font lacks (ˡ, ⁺, ᴸ): returns the font's name, or None when there is none."""
    import matplotlib

    if not _font["name"]:
        _font["name"] = cjk_font()   # looked for again next time while there is none
    name = _font["name"]
    if not name:
        return None
    rc = matplotlib.rcParams
    if _font["set"] is None or _current_fonts() != _font["set"]:
        _font["saved"] = _current_fonts()
        families = [f for f in rc["font.family"] if f != "DejaVu Sans"] if isinstance(rc["font.family"], list) else [rc["font.family"]]
        rc["font.sans-serif"] = [name, *(f for f in rc["font.sans-serif"] if f != name)]
        rc["font.family"] = [*families, "DejaVu Sans"]
        _font["set"] = _current_fonts()
    return name


def _current_fonts():
    import matplotlib

    return list(matplotlib.rcParams["font.family"]), list(matplotlib.rcParams["font.sans-serif"])


def _restore_fonts():
    """Put back the fonts _use_cjk_font replaced, unless they were changed since."""
    if _font["set"] is None:
        return
    import matplotlib

    if _current_fonts() == _font["set"]:
        family, sans = _font["saved"]
        matplotlib.rcParams["font.family"], matplotlib.rcParams["font.sans-serif"] = family, sans
    _font["set"] = _font["saved"] = None
