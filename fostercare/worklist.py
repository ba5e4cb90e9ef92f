"""The daily desk: the front page as each role's work queue.

Imports point one way (fostercare ← families ← training ← placements, contracts), so
fostercare cannot ask the apps what is due. Each app registers, in its AppConfig.ready(),
the sections it fills and one item provider: a function ``(user, today) -> list[Item]``
that reads through the visibility rules, so a user is shown only what they may open and
the counts agree with the app's own list pages. Like ``fostercare.navigation``, but for
work. The morning digest (``fostercare.reminders``) reads the same items.

The front page shows each section's most urgent items and counts the rest: a provider is
called with ``limit``, builds at most that many items per section from queries ordered by
urgency, and counts the rest in SQL (``most_urgent``), so the page costs the same with ten
families or twenty thousand. The digest asks with ``limit=None`` for every item.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(IntEnum):
    """How urgent an item is; the page sorts by it and says it in words."""

    CRITICAL = 0  # a limit or due date has passed, or an emergency waits
    HIGH = 1  # urgent, or a limit is close
    NORMAL = 2  # in the queue

    @property
    def label(self) -> str:
        return str(_LEVEL_LABELS[self])


_LEVEL_LABELS = {
    Level.CRITICAL: _("Act now"),
    Level.HIGH: _("Soon"),
    Level.NORMAL: _("In the queue"),
}


@dataclass(frozen=True)
class Item:
    """One thing to deal with, and the link to where it is dealt with."""

    section: str  # a registered section's key
    key: str  # stable and free of personal data, e.g. "placements.request:12"
    label: str  # what the page shows (the page is for users who may open the link)
    url: str
    level: Level
    sort: int = 0  # within a level, smaller first: days left, or minus the age in days
    detail: str = ""
    count: int | None = None
    age_days: int | None = None
    # The threshold the item has crossed ("overdue", "due_soon", ...): the digest sends
    # each item once per threshold. Empty: shown on the page, never e-mailed.
    threshold: str = ""
    # Whether the item belongs in this user's morning digest (a municipal worker is
    # reminded of their own requests only).
    remind: bool = True


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    # The list page filtered to the section's items, for its "and N more" (a function:
    # URLs are not resolved at registration); None where the list has no such filter.
    more_url: Callable[[], str] | None = None


def filtered_list(url_name: str, **query: str) -> Callable[[], str]:
    """A section's ``more_url``: the page ``url_name`` with the query ``query``."""
    return lambda: f"{reverse(url_name)}?{urlencode(query)}"


# A section shows its most urgent items; the rest are counted (the page stays short
# for a unit with a thousand families; the links lead to the full lists).
ITEMS_SHOWN_PER_SECTION = 25


@dataclass(frozen=True)
class NotBuilt:
    """Items of a section that a provider counted in SQL but did not build, being less
    urgent than the ``limit`` it built."""

    section: str
    count: int


def most_urgent(queryset: QuerySet, limit: int | None) -> tuple[list, int]:
    """The rows of ``queryset`` (ordered most urgent first), at most ``limit`` of them,
    and how many more there are, in one query (a window count is taken before the
    LIMIT); every row when ``limit`` is None."""
    if limit is None:
        return list(queryset), 0
    rows = list(queryset.annotate(queue_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].queue_total - len(rows) if rows else 0)


@dataclass(frozen=True)
class SectionView:
    section: Section
    items: list[Item]
    more: int = 0  # counted, not built (NotBuilt)

    @property
    def count(self) -> int:
        return len(self.items) + self.more

    @property
    def html_id(self) -> str:
        return self.section.key.replace(".", "-").replace("_", "-")

    @property
    def shown(self) -> list[Item]:
        return self.items[:ITEMS_SHOWN_PER_SECTION]

    @property
    def not_shown(self) -> int:
        return max(0, self.count - ITEMS_SHOWN_PER_SECTION)

    @property
    def more_url(self) -> str:
        return self.section.more_url() if self.section.more_url else ""

    @property
    def level(self) -> Level:
        # a section whose items were all counted, none built, is in the queue
        return min((item.level for item in self.items), default=Level.NORMAL)


# (user, today, limit) -> items, and NotBuilt counts where a section has more than limit
ItemProvider = Callable[..., list[Item | NotBuilt]]

_sections: dict[str, Section] = {}
_providers: dict[str, ItemProvider] = {}


def register_items(name: str, provider: ItemProvider, *, sections) -> None:
    """Register an app's item provider and the sections it fills, as
    ``[(key, title, order[, more_url]), ...]`` (registering a name again replaces it)."""
    for key, title, order, *more_url in sections:
        _sections[key] = Section(key, title, order, *more_url)
    _providers[name] = provider


def items_for(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return [item for provider in _providers.values() for item in provider(user, today, limit=limit)]


def worklist_for(user, today: date | None = None, limit: int | None = None) -> list[SectionView]:
    """The user's queue: sections with items, the most urgent section and item first;
    each section's ``limit`` most urgent items and the count of the rest, or every item."""
    today = today or timezone.localdate()
    by_section: dict[str, list[Item]] = {}
    more: dict[str, int] = {}
    for item in items_for(user, today, limit):
        if isinstance(item, NotBuilt):
            more[item.section] = more.get(item.section, 0) + item.count
        else:
            by_section.setdefault(item.section, []).append(item)
    views = [
        SectionView(
            _sections[key],
            # ties in the order the providers built them (their queries' order), so
            # that the most urgent ``limit`` of each query are the section's first
            sorted(by_section.get(key, []), key=lambda i: (i.level, i.sort)),
            more.get(key, 0),
        )
        for key in dict.fromkeys([*by_section, *more])
    ]
    return sorted(views, key=lambda view: (view.level, view.section.order))


def front_page(request):
    """The front page: the user's work queue, then the pages of their role."""
    queue = worklist_for(request.user, limit=ITEMS_SHOWN_PER_SECTION)
    return render(
        request,
        "fostercare/home.html",
        {"queue": queue, "queue_total": sum(view.count for view in queue)},
    )
