"""One modal filled in at the prompt: ask each field, submit, re-ask what the app refused.

Kept apart from the shell so the loop can be driven by a test with scripted
answers and a fake ``submit``. The app's answer decides, as in Slack: an empty
ack closes the form, ``response_action: errors`` puts each message under its
field and asks those fields again, ``update``/``push`` show the next view.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from bot.local.shell.forms import CANCEL, FormField, Resolver, answer, form_fields

JsonDict = dict[str, Any]
Ask = Callable[[str], "str | None"]
Say = Callable[[str], None]
Submit = Callable[[JsonDict, JsonDict], httpx.Response]
#: Rounds of "fix these fields" before the shell gives up on a form the app keeps refusing.
MAX_ROUNDS = 5


def _ack_body(response: httpx.Response) -> object:
    text = response.text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _ask_field(field: FormField, ask: Ask, say: Say, resolve: Resolver) -> JsonDict | None:
    """The state entry for one field; None when the person cancels or input ends."""
    for option_number, option in enumerate(field.options, 1):
        say(f"   {option_number}. {option.text}")
    while True:
        typed = ask(f"  {field.question()}")
        if typed is None or typed.strip().lower() == CANCEL:
            return None
        result = answer(field, typed, resolve)
        if result.value is not None:
            return result.value
        say(f"   {result.problem}")


def fill_in(view: JsonDict, *, ask: Ask, say: Say, submit: Submit, resolve: Resolver) -> bool:
    """Fill in and submit ``view``; True once the app accepted it (or moved to another view)."""
    current = view
    fields = [f for f in form_fields(current) if f.supported]
    if not fields:
        say("this form has nothing to fill in at the prompt")
        return False
    say("fill in the form: Enter keeps the value in [brackets], - empties it, cancel closes")
    values: dict[str, JsonDict] = {}
    to_ask = fields
    for _round in range(MAX_ROUNDS):
        for field in to_ask:
            entry = _ask_field(field, ask, say, resolve)
            if entry is None:
                say("form closed without submitting")
                return False
            values[field.block_id] = {field.action_id: entry}
        response = submit(current, values)
        if response.status_code != 200:
            say(f"the app answered HTTP {response.status_code}: {response.text[:200]}")
            return False
        body = _ack_body(response)
        if not isinstance(body, dict) or body.get("response_action") in {None, "clear"}:
            say("submitted; the form closed")
            return True
        if body.get("response_action") in {"update", "push"}:
            say("the app shows the next form")
            next_view = body.get("view")
            if isinstance(next_view, dict) and form_fields(next_view):
                return fill_in(
                    {**current, **next_view}, ask=ask, say=say, submit=submit, resolve=resolve
                )
            return True
        errors = body.get("errors") if body.get("response_action") == "errors" else None
        if not isinstance(errors, dict) or not errors:
            return True
        for block_id, message in errors.items():
            label = next((f.label for f in fields if f.block_id == block_id), block_id)
            say(f"   {label}: {message}")
        to_ask = [f for f in fields if f.block_id in errors] or fields
    say("the form was refused too many times; closed without submitting")
    return False
