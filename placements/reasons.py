"""Why matching ranks a family, stored as codes with parameters, said in the reader's language.

A reason is a dict ``{"code": ..., "points": ..., **params}``. Parameters are facts, not
words: numbers as strings with a dot ("7.3"), and names (a municipality, special skills)
as ``{"fi": ..., "sv": ..., "en": ...}`` taken when the reason was given. ``render`` says
a reason in the active language, so a proposal made on a Finnish page reads in Swedish on a
Swedish one. Text that predates the codes, and that no code's wording recognises, is kept
as ``{"code": "text", "text": ...}`` and shown as written.
"""

import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

DISTANCE = "distance"
DISTANCE_UNKNOWN = "distance_unknown"
LANGUAGE = "language"
SKILLS = "skills"
EXPERIENCE = "experience"
WHOLE_GROUP = "whole_group"
PART_OF_GROUP = "part_of_group"
FAMILY_CARE_FIRST = "family_care_first"  # a provider's unit that is a family home
FREE_PLACES = "free_places"
TEXT = "text"


def names(obj, fields=("name_fi", "name_sv", "name_en")) -> dict[str, str]:
    """An object's name in each language it has one, for a reason's parameters."""
    return {field[-2:]: getattr(obj, field, "") for field in fields if getattr(obj, field, "")}


def _name(value) -> str:
    if isinstance(value, dict):
        language = get_language() or "fi"
        return value.get(language) or value.get("fi") or next(iter(value.values()), "")
    return str(value)


def _sentence(reason: dict) -> str:
    code = reason.get("code")
    if code == DISTANCE:
        return _("%(km)s km from %(place)s") % {
            "km": number_format(Decimal(reason["km"]), 1),
            "place": _name(reason["place"]),
        }
    if code == DISTANCE_UNKNOWN:
        return _("distance unknown")
    if code == LANGUAGE:
        return _("speaks the children's language")
    if code == SKILLS:
        return _("special skills: %(skills)s") % {
            "skills": ", ".join(sorted(_name(skill) for skill in reason["skills"]))
        }
    if code == EXPERIENCE:
        return _("%(years)s year(s) since training") % {"years": reason["years"]}
    if code == WHOLE_GROUP:
        return _("can take all the siblings together")
    if code == PART_OF_GROUP:
        return _(
            "room for %(room)s of the %(group)s children: the others need a request of their own"
        ) % {"room": reason["room"], "group": reason["group"]}
    if code == FAMILY_CARE_FIRST:
        return _("family care comes first")
    if code == FREE_PLACES:
        return _("%(free)s free place(s)") % {"free": reason["free"]}
    return str(reason.get("text", ""))


def render(reason: dict) -> str:
    """One reason in the active language, with its points when it gives any."""
    sentence = _sentence(reason)
    points = reason.get("points")
    return f"{sentence} (+{points})" if points else sentence


def render_all(reasons: list[dict]) -> list[str]:
    return [render(reason) for reason in reasons or []]


# Reading text written before the codes (data migration) -------------------------------

# code -> (the English wording, its parameters in order)
_WORDINGS = {
    DISTANCE: "%(km)s km from %(place)s",
    DISTANCE_UNKNOWN: "distance unknown",
    LANGUAGE: "speaks the children's language",
    SKILLS: "special skills: %(skills)s",
    EXPERIENCE: "%(years)s year(s) since training",
    WHOLE_GROUP: "can take all the siblings together",
    PART_OF_GROUP: (
        "room for %(room)s of the %(group)s children: the others need a request of their own"
    ),
}
_POINTS = re.compile(r"^(?P<sentence>.*?)(?: \(\+(?P<points>\d+)\))?$", re.S)


def _patterns():
    for language in ("fi", "sv", "en"):
        with override(language):
            for code, wording in _WORDINGS.items():
                translated = _(wording)
                pattern = re.sub(
                    r"%\\\((\w+)\\\)s", lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(translated)
                )
                yield language, code, re.compile(f"^{pattern}$", re.S)


def parse(text: str) -> list[dict]:
    """Reasons written as "7,3 km kunnasta Kemi (+29); puhuu lasten kieltä (+20)" in
    Finnish, Swedish or English, as codes; a part no wording recognises stays as text."""
    patterns = list(_patterns())
    reasons = []
    for part in filter(None, (p.strip() for p in (text or "").split("; "))):
        found = _POINTS.match(part)
        sentence, points = found["sentence"], int(found["points"] or 0)
        reason = {"code": TEXT, "text": part}
        for language, code, pattern in patterns:
            hit = pattern.match(sentence)
            if not hit:
                continue
            params = hit.groupdict()
            reason = {"code": code, "points": points}
            if code == DISTANCE:
                km = params["km"].replace("\xa0", "").replace(" ", "").replace(",", ".")
                reason |= {"km": km, "place": {language: params["place"]}}
            elif code == SKILLS:
                reason["skills"] = [{language: s} for s in params["skills"].split(", ")]
            elif code == EXPERIENCE:
                reason["years"] = int(params["years"])
            elif code == PART_OF_GROUP:
                reason |= {"room": int(params["room"]), "group": int(params["group"])}
            break
        reasons.append(reason)
    return reasons
