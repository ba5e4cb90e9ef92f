"""The header's links. Each app registers its own in its AppConfig.ready(), with the
predicate from its access module that decides whether the user may open the page, so the
menu and the page's own check are one rule."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str
    may_open: Callable  # (user) -> bool
    order: int


_links: dict[str, NavLink] = {}


def register_link(url_name: str, label, may_open: Callable, *, order: int) -> None:
    _links[url_name] = NavLink(url_name, label, may_open, order)


def links_for(user) -> list[NavLink]:
    return [
        link for link in sorted(_links.values(), key=lambda link: link.order) if link.may_open(user)
    ]
