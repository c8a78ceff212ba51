"""The stand-in's ``views.*`` methods: the App Home tab and modals.

Modals open only with a trigger ID the stand-in minted (and only once, within
its lifetime), as in Slack, so a test catches an app that opens a modal too late
or from the wrong place.
"""

from __future__ import annotations

from typing import Any

from bot.local.standin.limits import SURFACE_BLOCKS, block_problems, invalid_blocks
from bot.local.standin.params import text_param
from bot.local.standin.state import Handler, StandInState, fail

JsonDict = dict[str, Any]
MODAL_TITLE = 24


def _check_view(view: object, kind: str) -> JsonDict | None:
    """Slack's error body for an unacceptable view, or None."""
    if not isinstance(view, dict) or view.get("type") != kind:
        return fail("invalid_arguments")
    problems = block_problems(view.get("blocks", []), max_blocks=SURFACE_BLOCKS)
    if problems:
        return invalid_blocks(problems)
    if kind == "modal":
        title = view.get("title")
        if not isinstance(title, dict) or not str(title.get("text", "")):
            return fail("invalid_arguments")
        if len(str(title["text"])) > MODAL_TITLE:
            return invalid_blocks([f"must be less than {MODAL_TITLE + 1} characters /title"])
    return None


def _view_object(
    state: StandInState, view: JsonDict, view_id: str, root_view_id: str | None = None
) -> JsonDict:
    identity = state.identity
    return {
        "id": view_id,
        "team_id": identity.team_id,
        "type": view["type"],
        "title": view.get("title"),
        "submit": view.get("submit"),
        "close": view.get("close"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "state": {"values": {}},
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "root_view_id": root_view_id or view_id,
        "previous_view_id": None,
        "app_id": identity.app_id,
        "app_installed_team_id": identity.team_id,
        "bot_id": identity.bot_id,
    }


def publish(state: StandInState, params: JsonDict) -> JsonDict:
    user_id = text_param(params, "user_id")
    if user_id is None or state.directory.user(user_id) is None:
        return fail("user_not_found")
    view = params.get("view")
    error = _check_view(view, "home")
    if error is not None:
        return error
    assert isinstance(view, dict)
    current = state.views.home(user_id)
    expected_hash = text_param(params, "hash")
    if expected_hash is not None and current is not None and current["hash"] != expected_hash:
        return fail("hash_conflict")
    view_id = current["id"] if current else state.views.new_id("VH")
    saved = state.views.save(_view_object(state, view, view_id), home_user=user_id)
    state.announce_view(saved, user_id)
    return {"ok": True, "view": saved}


def open_modal(state: StandInState, params: JsonDict) -> JsonDict:
    trigger = text_param(params, "trigger_id") or text_param(params, "interactivity_pointer")
    if trigger is None:
        return fail("invalid_arguments")
    view = params.get("view")
    error = _check_view(view, "modal")
    if error is not None:
        return error
    assert isinstance(view, dict)
    user, error_name = state.views.use_trigger(trigger)
    if error_name is not None:
        return fail(error_name)
    saved = state.views.save(_view_object(state, view, state.views.new_id("VM")))
    state.announce_view(saved, user)
    return {"ok": True, "view": saved}


def update(state: StandInState, params: JsonDict) -> JsonDict:
    view_id = text_param(params, "view_id")
    external_id = text_param(params, "external_id")
    if view_id:
        current = state.views.get(view_id)
    elif external_id:
        current = state.views.by_external_id(external_id)
    else:
        return fail("invalid_arguments")
    if current is None:
        return fail("not_found")
    view = params.get("view")
    error = _check_view(view, current["type"])
    if error is not None:
        return error
    assert isinstance(view, dict)
    expected_hash = text_param(params, "hash")
    if expected_hash is not None and current["hash"] != expected_hash:
        return fail("hash_conflict")
    replacement = _view_object(state, view, current["id"], current["root_view_id"])
    saved = state.views.save(replacement)
    state.announce_view(saved, None)
    return {"ok": True, "view": saved}


HANDLERS: dict[str, Handler] = {
    "views.publish": publish,
    "views.open": open_modal,
    "views.update": update,
}
