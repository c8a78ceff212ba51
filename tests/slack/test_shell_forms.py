"""Forms and buttons in ``linkgap shell``: the app's modals as questions, answers as Slack's state.

The modals are the app's own (rendered from its templates), so a field added to
a form is asked at the prompt without the shell changing; the answers must be
exactly the ``view.state.values`` entries Slack sends for each element type.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.local.shell.buttons import action_entry, number_buttons
from bot.local.shell.form_session import fill_in
from bot.local.shell.forms import FormField, Option, answer, form_fields
from bot.local.shell.requests import Actor, block_actions, view_submission
from bot.services.workspace_settings import WorkspaceSettings
from bot.slack.blocks.settings_view import read_submission, settings_view
from bot.slack.blocks.vet_view import read_vet_submission, vet_view
from bot.store.models import Campaign

PEOPLE = {("#", "seo"): "C0SEO", ("@", "ben"): "U0STANDIN2"}


def resolve(sigil: str, name: str) -> str | None:
    return PEOPLE.get((sigil, name))


def campaign() -> Campaign:
    return Campaign(id=7, keyword="trail running shoes", target_url="https://www.example.com/t")


def test_the_vet_modal_asks_every_field_in_order_with_its_options() -> None:
    fields = form_fields(vet_view([campaign()]))
    assert [f.block_id for f in fields] == [
        "campaign", "prospect_url", "target_url", "anchor", "placement_type", "note",
    ]  # fmt: skip
    assert [f.optional for f in fields] == [False, False, True, False, False, True]
    assert fields[0].options[0].text == "7 · trail running shoes"
    placement = fields[4]
    assert placement.initial == "in-content"
    assert "author-bio" in [o.value for o in placement.options]
    assert all(f.supported for f in fields)


def test_answers_read_back_by_the_app_as_a_submission_from_slack() -> None:
    fields = {f.block_id: f for f in form_fields(vet_view([campaign()]))}
    typed = {
        "campaign": "1",
        "prospect_url": "https://runnersweekly.com/review",
        "target_url": "",
        "anchor": "trail shoes",
        "placement_type": "Author Bio",
        "note": "",
    }
    values: dict[str, Any] = {}
    for block_id, text in typed.items():
        field = fields[block_id]
        result = answer(field, text, resolve)
        assert result.problem is None, block_id
        values[block_id] = {field.action_id: result.value}
    submission, errors = read_vet_submission(values)
    assert errors == {}
    assert submission is not None
    assert submission.campaign_id == 7
    assert submission.prospect_url == "https://runnersweekly.com/review"
    assert submission.target_url is None  # left empty: the campaign's page
    assert submission.placement_type == "author-bio"  # picked by its label
    assert submission.note == ""


def test_the_settings_form_submits_its_current_values_when_every_answer_is_enter() -> None:
    view = settings_view(WorkspaceSettings(), "demo")
    values: dict[str, Any] = {}
    for field in form_fields(view):
        result = answer(field, "", resolve)
        assert result.problem is None, field.label
        values[field.block_id] = {field.action_id: result.value}
    settings, errors = read_submission(values)
    assert errors == {}
    assert settings is not None
    assert settings.provider == "demo"


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("plain_text_input", "hello", {"type": "plain_text_input", "value": "hello"}),
        ("number_input", "12", {"type": "number_input", "value": "12"}),
        ("users_select", "@ben", {"type": "users_select", "selected_user": "U0STANDIN2"}),
        ("conversations_select", "#seo", {"type": "conversations_select",
                                          "selected_conversation": "C0SEO"}),
        ("multi_users_select", "@ben", {"type": "multi_users_select",
                                        "selected_users": ["U0STANDIN2"]}),
        ("datepicker", "2026-12-07", {"type": "datepicker", "selected_date": "2026-12-07"}),
        ("timepicker", "09:30", {"type": "timepicker", "selected_time": "09:30"}),
    ],
)  # fmt: skip
def test_each_element_type_gives_slacks_state_shape(
    kind: str, typed: str, expected: dict[str, Any]
) -> None:
    field = FormField("b", "value", "Field", kind, optional=False)
    assert answer(field, typed, resolve).value == expected


def test_choices_by_number_label_or_value_and_refusals_that_say_why() -> None:
    options = (Option("Sidebar", "sidebar", {"text": {"type": "plain_text", "text": "Sidebar"},
                                             "value": "sidebar"}),)  # fmt: skip
    single = FormField("b", "value", "Where", "static_select", optional=False, options=options)
    for typed in ("1", "sidebar", "SIDEBAR"):
        assert answer(single, typed, resolve).value == {
            "type": "static_select",
            "selected_option": options[0].raw,
        }
    assert "not one of the options" in str(answer(single, "9", resolve).problem)
    assert "is required" in str(answer(single, "", resolve).problem)
    multi = FormField("b", "value", "Which", "checkboxes", optional=True, options=options)
    assert answer(multi, "", resolve).value == {"type": "checkboxes", "selected_options": []}
    assert answer(multi, "1", resolve).value == {
        "type": "checkboxes",
        "selected_options": [options[0].raw],
    }
    person = FormField("b", "value", "Who", "users_select", optional=False)
    assert answer(person, "@nobody", resolve).problem == "there is no @nobody in this workspace"
    date = FormField("b", "value", "When", "datepicker", optional=False)
    assert answer(date, "07/12/2026", resolve).problem == "type a date as YYYY-MM-DD"


def test_a_dash_empties_an_optional_field_and_enter_keeps_its_value() -> None:
    field = FormField("b", "value", "Note", "plain_text_input", optional=True, initial="keep me")
    assert answer(field, "", resolve).value == {"type": "plain_text_input", "value": "keep me"}
    assert answer(field, "-", resolve).value == {"type": "plain_text_input", "value": None}


def scripted(lines: list[str]) -> Iterator[str]:
    yield from lines


def test_fields_the_app_refuses_are_asked_again_and_the_rest_kept() -> None:
    view = vet_view([campaign()])
    answers = scripted([
        "1", "https://10.0.0.1/page", "", "trail shoes", "", "",   # first round
        "https://runnersweekly.com/review",                     # the refused field only
    ])  # fmt: skip
    said: list[str] = []
    submitted: list[dict[str, Any]] = []

    def submit(shown: dict[str, Any], values: dict[str, Any]) -> httpx.Response:
        submitted.append(values)
        url = values["prospect_url"]["value"]["value"]
        if url.startswith("https://10."):
            body = {"response_action": "errors", "errors": {"prospect_url": "An IP address"}}
            return httpx.Response(200, json=body)
        return httpx.Response(200)

    done = fill_in(view, ask=lambda q: next(answers), say=said.append, submit=submit,
                   resolve=resolve)  # fmt: skip
    assert done
    assert len(submitted) == 2
    assert submitted[1]["anchor"] == submitted[0]["anchor"]  # kept, not asked again
    assert "   Page that would link to you: An IP address" in said
    assert said[-1] == "submitted; the form closed"


def test_cancel_or_the_end_of_input_closes_the_form_unsent() -> None:
    view = vet_view([campaign()])
    sent: list[object] = []

    def submit(shown: dict[str, Any], values: dict[str, Any]) -> httpx.Response:
        sent.append(values)
        return httpx.Response(200)

    for lines in (["1", "cancel"], ["1"]):
        answers = iter(lines)

        def ask(question: str, answers: Iterator[str] = answers) -> str | None:
            return next(answers, None)

        said: list[str] = []
        done = fill_in(view, ask=ask, say=said.append, submit=submit, resolve=resolve)
        assert not done
        assert said[-1] == "form closed without submitting"
    assert sent == []


ACTOR = Actor("T0STANDIN", "U0STANDIN2", "ben", "C0SEO", "seo")
MESSAGE = {
    "ts": "1765000000.000100",
    "channel": "C0SEO",
    "blocks": [
        {"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": "Placement 3"},
         "accessory": {"type": "button", "action_id": "open", "url": "https://x.test",
                       "text": {"type": "plain_text", "text": "Open"}}},
        {"type": "actions", "block_id": "votes", "elements": [
            {"type": "button", "action_id": "approve_anyway", "value": "3", "style": "primary",
             "text": {"type": "plain_text", "text": "Approve anyway"}},
            {"type": "static_select", "action_id": "pick"},
        ]},
    ],
}  # fmt: skip


def test_buttons_are_numbered_in_reading_order_and_the_original_is_untouched() -> None:
    shown, buttons = number_buttons(MESSAGE, "5")
    assert [b.label for b in buttons] == ["5.1", "5.2"]
    assert [b.action_id for b in buttons] == ["open", "approve_anyway"]
    assert shown["blocks"][1]["elements"][0]["text"]["text"] == "5.2 Approve anyway"
    assert MESSAGE["blocks"][1]["elements"][0]["text"]["text"] == "Approve anyway"  # type: ignore[index]


def test_a_click_is_the_block_actions_payload_slack_sends() -> None:
    _shown, buttons = number_buttons(MESSAGE, "5")
    action = action_entry(buttons[1], "1765000001.000200")
    payload = block_actions(
        ACTOR, action, trigger_id="t1", message=MESSAGE, channel_id="C0SEO",
        response_url="http://127.0.0.1/respond/1",
    )  # fmt: skip
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message", "message_ts": "1765000000.000100", "channel_id": "C0SEO",
        "is_ephemeral": False,
    }  # fmt: skip
    assert payload["actions"] == [{
        "type": "button", "action_id": "approve_anyway", "block_id": "votes", "value": "3",
        "style": "primary", "text": {"type": "plain_text", "text": "Approve anyway"},
        "action_ts": "1765000001.000200",
    }]  # fmt: skip
    assert payload["user"]["id"] == "U0STANDIN2"
    ephemeral = block_actions(ACTOR, action, trigger_id="t2", message=MESSAGE,
                              channel_id="C0SEO", ephemeral=True)  # fmt: skip
    assert "message" not in ephemeral  # Slack does not echo an ephemeral message
    on_home = block_actions(ACTOR, action, trigger_id="t3", view={"id": "VH1", "type": "home"})
    assert on_home["container"] == {"type": "view", "view_id": "VH1"}
    assert "channel" not in on_home


def test_a_submission_carries_the_view_and_what_was_filled_in() -> None:
    values = {"anchor": {"value": {"type": "plain_text_input", "value": "x"}}}
    payload = view_submission(ACTOR, {"id": "VM1", "callback_id": "linkgap_vet"}, values,
                              trigger_id="t")  # fmt: skip
    assert payload["type"] == "view_submission"
    assert payload["view"]["callback_id"] == "linkgap_vet"
    assert payload["view"]["state"] == {"values": values}
