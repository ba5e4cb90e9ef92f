"""iCalendar (RFC 5545) files written with the standard library: no dependency needed for
a list of events."""

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings

from training.models import Session

CRLF = "\r\n"
# Every line break a reader might honour (CR, LF, VT, FF, NEL, LS, PS) becomes the escaped
# "\n"; the other control characters, which RFC 5545 3.3.11 forbids in TEXT, are dropped.
LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return CONTROLS.sub("", LINE_BREAKS.sub("\\\\n", value))


def uri(value: str) -> str:
    """A URI value has no escaping: anything that could end the line is dropped."""
    return CONTROLS.sub("", LINE_BREAKS.sub("", value))


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on lines that start with a space.

    The line is cut between characters, never inside a UTF-8 sequence.
    """
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines spend one octet on the space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _stamp(moment: datetime) -> str:
    # strftime's %Y does not pad years before 1000 on every platform
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _utc(moment: datetime) -> str:
    """UTC time, or the floating local time (RFC 5545 3.3.5, form 1) when the moment has no
    UTC equivalent in Python's range (0001-01-01 00:30 in Helsinki is in year 0 in UTC)."""
    try:
        return _stamp(moment.astimezone(UTC)) + "Z"
    except OverflowError:
        return _stamp(moment)


def uid_domain() -> str:
    """The site's own host name, so that a session has one UID whatever address served it."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def sessions_calendar(sessions: Iterable[Session], *, name: str) -> str:
    """The sessions as an iCalendar file; UIDs are built from ``settings.SITE_URL``, so a
    session keeps its UID whichever address the file was fetched through."""
    now = _utc(datetime.now(UTC))
    domain = uid_domain()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//fostercare//training//FI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for session in sessions:
        description = "\n".join(part for part in (session.trainers, session.online_link) if part)
        lines += [
            "BEGIN:VEVENT",
            f"UID:training-session-{session.pk}@{domain}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(session.starts_at)}",
            f"DTEND:{_utc(session.ends_at)}",
            f"SUMMARY:{escape_text(f'{session.course.title}: {session.topic}')}",
        ]
        if session.place or session.online_link:
            lines.append(f"LOCATION:{escape_text(session.place or session.online_link)}")
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        if session.online_link:
            lines.append(f"URL:{uri(session.online_link)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
