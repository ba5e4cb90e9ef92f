"""Text the system writes into history, stored as a code and its parameters and rendered in
the reader's language (WCAG 3.1.2; a Swedish reader never sees "Lisätty tietopankkiin").

Each app registers its codes in ``AppConfig.ready()``::

    register("families.added", _("Added to the register"))
    register("training.inquiry_stage", _("Inquiry: %(stage)s"), stage=choice(Inquiry.Stage))
    register("placements.decided", _("Decided on %(on)s …"), on=as_date)

A model keeps ``<field>_code`` and ``<field>_params`` next to the free-text field; free text
typed by a person stays as typed, with the language it was typed in where known.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats, translation

Converter = Callable[[object], str]


@dataclass(frozen=True)
class Message:
    template: object  # a lazy gettext string with %(name)s placeholders
    converters: dict[str, Converter] = field(default_factory=dict)


_MESSAGES: dict[str, Message] = {}


def register(code: str, template, **converters: Converter) -> None:
    """Declare a code; ``converters`` turn a stored parameter into its shown form."""
    _MESSAGES[code] = Message(template, converters)


def as_date(value) -> str:
    """A parameter stored as an ISO date, shown in the reader's format (1.12.2026)."""
    return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")


def choice(choices) -> Converter:
    """A parameter stored as a choice's value, shown as its label in the reader's language."""
    return lambda value: str(choices(value).label) if value in choices.values else str(value)


def render(code: str, params: dict | None = None) -> str:
    """The message in the active language; an unknown code shows as itself."""
    message = _MESSAGES.get(code)
    if message is None:
        return code
    values = dict(params or {})
    for key, convert in message.converters.items():
        if key in values:
            values[key] = convert(values[key])
    return str(message.template) % values if values else str(message.template)


def known_codes() -> set[str]:
    return set(_MESSAGES)


# --- recognising text stored before codes existed (data migrations) ----------------------

LANGUAGES = ("fi", "sv", "en")


def _pattern(text: str) -> re.Pattern:
    parts = re.split(r"(%\([a-z_]+\)s)", text)
    regex = "".join(
        f"(?P<{part[2:-2]}>.+?)" if re.fullmatch(r"%\([a-z_]+\)s", part) else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def recognise(text: str, codes: list[str]) -> tuple[str, dict] | None:
    """The code and raw parameters of ``text`` written in any language by one of ``codes``
    (as the template rendered it then); None when it is a person's own text."""
    for code in codes:
        message = _MESSAGES[code]
        for language in LANGUAGES:
            with translation.override(language):
                match = _pattern(str(message.template)).match(text.strip())
            if match:
                return code, match.groupdict()
    return None


def recode_rows(model, *, text: str, codes: list[str], parsers: dict | None = None) -> int:
    """Data migration step: rows of ``model`` whose ``text`` field holds what one of
    ``codes`` wrote (in any language) get ``<text>_code`` and ``<text>_params`` and an empty
    ``text``. ``parsers`` turn a shown parameter back into its stored form (None: leave the
    row as text). Returns how many rows were recoded."""
    parsers = parsers or {}
    codes = [code for code in codes if code in _MESSAGES]
    changed = []
    for row in model.objects.filter(**{f"{text}_code": ""}).exclude(**{text: ""}).iterator():
        found = recognise(getattr(row, text), codes)
        if found is None:
            continue
        code, params = found
        try:
            params = {k: parsers.get(k, lambda v: v)(v) for k, v in params.items()}
        except (ValueError, KeyError):
            continue
        if any(value is None for value in params.values()):
            continue
        setattr(row, f"{text}_code", code)
        setattr(row, f"{text}_params", params)
        setattr(row, text, "")
        changed.append(row)
    model.objects.bulk_update(changed, [text, f"{text}_code", f"{text}_params"], batch_size=500)
    return len(changed)


def label_to_value(choices) -> Callable[[str], str | None]:
    """A parser for ``recode_rows``: a choice's label in any language back to its value."""

    def parse(label: str) -> str | None:
        for language in LANGUAGES:
            with translation.override(language):
                for value, shown in choices.choices:
                    if str(shown) == label:
                        return value
        return None

    return parse
