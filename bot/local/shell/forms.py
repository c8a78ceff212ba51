"""Filling in a modal at the shell's prompt, one field at a time, as Slack's form would.

Pure functions: ``form_fields`` reads a view's input blocks into questions, and
``answer`` turns what was typed into the ``view.state.values`` entry Slack
would send for that element. The app then judges the submission exactly as it
judges one from Slack (its ``response_action: errors`` come back to the shell),
so the shell validates nothing on its own beyond what Slack's client does:
a required field cannot be left empty and a choice must be one of the options.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]
#: Typed at a field's prompt to empty it (an optional field with a value already).
CLEAR = "-"
#: Typed at any field's prompt to close the form without submitting it.
CANCEL = "cancel"

_TEXT_INPUTS = {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
_SINGLE_CHOICE = {"static_select", "radio_buttons"}
_MULTI_CHOICE = {"multi_static_select", "checkboxes"}
_PICKERS = {
    # element type → (state key, "#" for conversations or "@" for people, multiple?)
    "conversations_select": ("selected_conversation", "#", False),
    "channels_select": ("selected_channel", "#", False),
    "users_select": ("selected_user", "@", False),
    "multi_conversations_select": ("selected_conversations", "#", True),
    "multi_channels_select": ("selected_channels", "#", True),
    "multi_users_select": ("selected_users", "@", True),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

#: Resolves ``#seo`` or ``@ben`` (sigil, name) to a Slack ID, or None when unknown.
Resolver = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Option:
    text: str
    value: str
    raw: JsonDict


@dataclass(frozen=True)
class FormField:
    """One input block of a modal: what to ask and how to read the answer."""

    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    options: tuple[Option, ...] = ()
    #: What Enter keeps: the element's initial value, as it would be typed.
    initial: str = ""
    hint: str = ""

    @property
    def supported(self) -> bool:
        return self.kind in _TEXT_INPUTS | _SINGLE_CHOICE | _MULTI_CHOICE | set(_PICKERS) | {
            "datepicker",
            "timepicker",
        }

    def question(self) -> str:
        """The prompt: label, what kind of answer, and the default in brackets."""
        shown = self.label + ("" if not self.optional else " (optional)")
        if self.kind in _MULTI_CHOICE:
            shown += " — numbers separated by commas"
        elif self.kind in _PICKERS:
            sigil = _PICKERS[self.kind][1]
            shown += f" — {sigil}name" + (", …" if _PICKERS[self.kind][2] else "")
        elif self.kind == "datepicker":
            shown += " — YYYY-MM-DD"
        elif self.kind == "timepicker":
            shown += " — HH:MM"
        if self.initial:
            shown += f" [{self.initial}]"
        return shown + ": "


def _plain(obj: object) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return str(obj or "")


def _options(element: JsonDict) -> tuple[Option, ...]:
    found: list[JsonDict] = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return tuple(Option(_plain(o.get("text")), str(o.get("value", "")), o) for o in found)


def _initial(element: JsonDict, options: tuple[Option, ...]) -> str:
    kind = element.get("type", "")
    if kind in _TEXT_INPUTS:
        return str(element.get("initial_value") or "")
    if kind in _SINGLE_CHOICE:
        chosen = element.get("initial_option") or {}
        return _plain(chosen.get("text"))
    if kind in _MULTI_CHOICE:
        values = {str(o.get("value")) for o in element.get("initial_options") or []}
        return ",".join(str(i) for i, o in enumerate(options, 1) if o.value in values)
    if kind == "datepicker":
        return str(element.get("initial_date") or "")
    if kind == "timepicker":
        return str(element.get("initial_time") or "")
    return ""


def form_fields(view: JsonDict) -> list[FormField]:
    """Every input block of ``view``, in order, as a question to ask."""
    fields: list[FormField] = []
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element: JsonDict = block.get("element") or {}
        options = _options(element)
        fields.append(
            FormField(
                block_id=str(block.get("block_id", "")),
                action_id=str(element.get("action_id", "")),
                label=_plain(block.get("label")),
                kind=str(element.get("type", "")),
                optional=bool(block.get("optional", False)),
                options=options,
                initial=_initial(element, options),
                hint=_plain(block.get("hint")),
            )
        )
    return fields


@dataclass(frozen=True)
class Answer:
    """What one typed line gave: the state entry to send, or why it cannot be sent."""

    value: JsonDict | None = None
    problem: str | None = None


def _choose(field: FormField, typed: str) -> Option | None:
    if typed.isdigit() and 1 <= int(typed) <= len(field.options):
        return field.options[int(typed) - 1]
    wanted = _loose(typed)
    for option in field.options:
        if wanted in {_loose(option.text), _loose(option.value)}:
            return option
    return None


def _loose(text: str) -> str:
    """``Author Bio``, ``author_bio`` and ``author-bio`` name the same option."""
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def _empty(field: FormField) -> JsonDict:
    kind = field.kind
    if kind in _TEXT_INPUTS:
        return {"type": kind, "value": None}
    if kind in _SINGLE_CHOICE:
        return {"type": kind, "selected_option": None}
    if kind in _MULTI_CHOICE:
        return {"type": kind, "selected_options": []}
    if kind in _PICKERS:
        key, _sigil, multiple = _PICKERS[kind]
        return {"type": kind, key: [] if multiple else None}
    if kind == "datepicker":
        return {"type": kind, "selected_date": None}
    return {"type": kind, "selected_time": None}


def answer(field: FormField, typed: str, resolve: Resolver) -> Answer:
    """The ``state.values[block][action]`` entry for ``typed`` (Enter keeps the initial value)."""
    text = typed.strip()
    if not text:
        text = field.initial
    elif text == CLEAR:
        text = ""
    if not text:
        if field.optional:
            return Answer(_empty(field))
        return Answer(problem=f"“{field.label}” is required")
    kind = field.kind
    if kind in _TEXT_INPUTS:
        return Answer({"type": kind, "value": text})
    if kind in _SINGLE_CHOICE:
        option = _choose(field, text)
        if option is None:
            return Answer(problem=f"“{text}” is not one of the options; type its number")
        return Answer({"type": kind, "selected_option": option.raw})
    if kind in _MULTI_CHOICE:
        chosen: list[JsonDict] = []
        for part in (p.strip() for p in text.split(",")):
            option = _choose(field, part) if part else None
            if option is None:
                return Answer(problem=f"“{part}” is not one of the options; type their numbers")
            chosen.append(option.raw)
        return Answer({"type": kind, "selected_options": chosen})
    if kind in _PICKERS:
        key, sigil, multiple = _PICKERS[kind]
        ids: list[str] = []
        for part in (p.strip() for p in (text.split(",") if multiple else [text])):
            found = resolve(sigil, part.lstrip(sigil))
            if found is None:
                return Answer(problem=f"there is no {sigil}{part.lstrip(sigil)} in this workspace")
            ids.append(found)
        return Answer({"type": kind, key: ids if multiple else ids[0]})
    if kind == "datepicker":
        if not _DATE.match(text):
            return Answer(problem="type a date as YYYY-MM-DD")
        return Answer({"type": kind, "selected_date": text})
    if kind == "timepicker":
        if not _TIME.match(text):
            return Answer(problem="type a time as HH:MM (24-hour)")
        return Answer({"type": kind, "selected_time": text})
    return Answer(problem=f"a {kind} can't be filled in at the prompt")
