"""iCalendar (RFC 5545) files written with the standard library: no dependency needed for
a list of events."""

from collections.abc import Iterable
from datetime import UTC, datetime

from training.models import Session

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


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


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def sessions_calendar(sessions: Iterable[Session], *, name: str, host: str) -> str:
    now = _utc(datetime.now(UTC))
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
            f"UID:training-session-{session.pk}@{host}",
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
            lines.append(f"URL:{session.online_link}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
