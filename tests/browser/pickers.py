"""Typing into a search picker (fostercare/pickers.py) and choosing, as a user does."""

import re

from playwright.sync_api import expect


def pick(page, label: str, text: str, option: str | None = None, *, keyboard: bool = False):
    """Types ``text`` into the picker labelled ``label`` and chooses the option named
    ``option`` (by default exactly the text typed): clicked, or with Down and Enter."""
    picker = page.get_by_role("combobox", name=re.compile(rf"^{re.escape(label)}"))
    picker.fill(text)
    listbox = page.locator(f"#{picker.get_attribute('aria-controls')}")
    if option is None:
        choice = listbox.get_by_role("option", name=text, exact=True)
    else:
        choice = listbox.get_by_role("option", name=re.compile(re.escape(option)))
    expect(choice).to_have_count(1)
    expect(picker).to_have_attribute("aria-expanded", "true")
    if keyboard:  # down to the option, then Enter
        wanted = choice.get_attribute("id")
        for _ in range(20):
            picker.press("ArrowDown")
            if picker.get_attribute("aria-activedescendant") == wanted:
                break
        expect(picker).to_have_attribute("aria-activedescendant", wanted)
        picker.press("Enter")
    else:
        choice.click()
    expect(picker).to_have_attribute("aria-expanded", "false")
    return picker
