"""``linkgap shell``: the whole bot in a terminal, against a local stand-in of Slack.

Each typed line becomes what Slack would send (a signed slash command, a
reaction event, an ``app_home_opened`` event); the shell then waits until the
bot is done (jobs drained, the stand-in quiet) and prints every message that
appeared or changed, numbered by the stand-in so ``+:white_check_mark: 3``
can point at one. It reads from a terminal or a pipe alike; a pipe gets each
line echoed after its prompt so the transcript reads like a session.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import nullcontext, suppress
from pathlib import Path
from typing import Any, TextIO

import httpx
from rich.console import Console
from rich.text import Text

from bot.errors import LinkgapError
from bot.local.shell.attachments import DEFAULT_FOLDER, save_attachment
from bot.local.shell.buttons import action_entry, number_buttons
from bot.local.shell.display import SHELL_HELP, banner_lines, label_references, reactions_line
from bot.local.shell.form_session import fill_in
from bot.local.shell.input import (
    ActAs,
    MoveTo,
    Nothing,
    NotUnderstood,
    OpenHome,
    Press,
    Quit,
    Reaction,
    ShellLine,
    ShowHelp,
    SlashCommand,
    escape_command_text,
    parse_line,
)
from bot.local.shell.requests import (
    Actor,
    ack_payload,
    block_actions,
    command_form,
    event_envelope,
    event_ts,
    view_submission,
)
from bot.local.shell.stack import LocalBot
from bot.local.shell.terminal import render_message, render_view
from bot.local.shell.tour import tour_lines
from bot.local.shell.wait import pending_jobs, wait_for_jobs

log = logging.getLogger(__name__)

#: What a ``block_actions`` payload echoes of the clicked message (Slack's own fields only).
_MESSAGE_FIELDS = {"type", "text", "user", "ts", "team", "bot_id", "app_id", "blocks", "thread_ts"}
JOB_TIMEOUT = 120.0  # seconds an analysis may take before the shell hands back the prompt
HOME_TIMEOUT = 10.0


class Shell:
    """One interactive session: who is typing where, and what each line does."""

    def __init__(
        self,
        bot: LocalBot,
        console: Console,
        *,
        user: str = "ana",
        channel: str = "general",
        stdin: TextIO | None = None,
        files: Path = DEFAULT_FOLDER,
        tour: bool = False,
    ) -> None:
        self.files = files
        self.tour = tour
        self.bot = bot
        self.standin = bot.standin
        self.console = console
        self.stdin = stdin if stdin is not None else sys.stdin
        self.user_id = self._user_id(user)
        self.channel_id = self._channel_id(channel)

    # -- who and where ---------------------------------------------------------------

    def _user_id(self, name: str) -> str:
        users = self.standin.directory.users
        for user in users.values():
            if name.lower() in {user.name.lower(), user.id.lower()}:
                return user.id
        known = ", ".join(u.name for u in users.values())
        raise LinkgapError(f"there is no user “{name}” in the stand-in workspace ({known})")

    def _channel_id(self, name: str) -> str:
        channels = self.standin.directory.channels
        for channel in channels.values():
            if not channel.is_im and name.lower() in {channel.name.lower(), channel.id.lower()}:
                return channel.id
        known = ", ".join(f"#{c.name}" for c in channels.values() if not c.is_im)
        raise LinkgapError(f"there is no channel “{name}” in the stand-in workspace ({known})")

    def _find_user(self, name: str) -> str | None:
        try:
            return self._user_id(name)
        except LinkgapError:
            return None

    def _find_channel(self, name: str) -> str | None:
        try:
            return self._channel_id(name)
        except LinkgapError:
            return None

    @property
    def user_name(self) -> str:
        user = self.standin.directory.user(self.user_id)
        return user.name if user else self.user_id

    @property
    def channel_name(self) -> str:
        channel = self.standin.directory.channel(self.channel_id)
        return channel.name if channel else self.channel_id

    def actor(self) -> Actor:
        return Actor(
            team_id=self.standin.identity.team_id,
            user_id=self.user_id,
            user_name=self.user_name,
            channel_id=self.channel_id,
            channel_name=self.channel_name,
        )

    def prompt(self) -> str:
        return f"{self.user_name} in #{self.channel_name}> "

    # -- the loop --------------------------------------------------------------------

    def run(self) -> int:
        """Read lines until ``quit`` or EOF; a failing line prints one error and carries on."""
        self.banner()
        for line in self._lines():
            parsed = parse_line(line)
            if isinstance(parsed, Quit):
                break
            try:
                self.handle(parsed)
            except KeyboardInterrupt:
                self.say(
                    "stopped waiting; the bot carries on and shows the rest after your next line"
                )
            except LinkgapError as error:
                self.error(error.message)
            except Exception as error:
                log.debug("shell line failed: %s", line, exc_info=True)
                self.error(f"{type(error).__name__}: {error}")
        self.settle()
        self.show_changes()
        return 0

    def _lines(self) -> Iterator[str]:
        interactive = self.stdin.isatty()
        if interactive:
            _enable_line_editing()
        if self.tour:
            for line in tour_lines(self, self._pause):
                self.console.print(Text(self.prompt() + line, style="bold"), soft_wrap=True)
                yield line
        while True:
            prompt = self.prompt()
            if interactive:
                try:
                    line = input(prompt)
                except EOFError:
                    self.console.print()
                    return
                except KeyboardInterrupt:
                    self.console.print()
                    continue
            else:
                raw = self.stdin.readline()
                if not raw:
                    return
                line = raw.rstrip("\r\n")
                self.console.print(Text(prompt + line, style="bold"), soft_wrap=True)
            yield line

    def _pause(self, text: str) -> None:
        """Wait for Enter at a terminal; piped input (a script, a test) runs straight on."""
        if self.stdin.isatty():
            with suppress(EOFError):
                input(text)

    def ask(self, question: str) -> str | None:
        """One answer typed at ``question`` (a form's field); None at the end of input."""
        if self.stdin.isatty():
            try:
                return input(question)
            except EOFError:
                self.console.print()
                return None
        raw = self.stdin.readline()
        if not raw:
            return None
        answer = raw.rstrip("\r\n")
        self.console.print(Text(question + answer), soft_wrap=True)
        return answer

    def handle(self, parsed: ShellLine) -> None:
        if isinstance(parsed, SlashCommand):
            self.slash_command(parsed.text)
        elif isinstance(parsed, Reaction):
            self.react(parsed)
        elif isinstance(parsed, Press):
            self.press(parsed.label)
        elif isinstance(parsed, OpenHome):
            self.open_home()
        elif isinstance(parsed, ActAs):
            self.user_id = self._user_id(parsed.user)
            self.say(f"you are now {self.user_name}")
        elif isinstance(parsed, MoveTo):
            self.channel_id = self._channel_id(parsed.channel)
            self.say(f"you are now in #{self.channel_name}")
        elif isinstance(parsed, ShowHelp):
            self.console.print(Text(SHELL_HELP))
        elif isinstance(parsed, NotUnderstood):
            self.error(parsed.reason)
        elif not isinstance(parsed, Nothing | Quit):
            raise AssertionError(f"unhandled shell line {parsed!r}")

    # -- what a line sends --------------------------------------------------------------

    def slash_command(self, typed: str) -> None:
        text = escape_command_text(typed, channel_id=self._find_channel, user_id=self._find_user)
        response_url = self.standin.response_url(self.channel_id, user=self.user_id)
        form = command_form(
            self.actor(),
            text,
            response_url=response_url,
            trigger_id=self.standin.trigger_id(self.user_id),
        )
        response = self.bot.sender.command(form)
        if response.status_code != 200:
            self.error(f"the app answered HTTP {response.status_code}: {response.text[:200]}")
            return
        payload = ack_payload(response)
        if payload is not None:
            answer = self.standin.respond(response_url, payload)
            if not answer.get("ok"):
                self.error(f"Slack refused the app's answer: {answer.get('error')}")
        self.settle()
        self.show_changes()

    def react(self, reaction: Reaction) -> None:
        message = self.standin.message_by_seq(reaction.seq)
        if message is None or message.deleted:
            raise LinkgapError(f"there is no message [{reaction.seq}]")
        if message.ephemeral_to is not None:
            raise LinkgapError(f"message [{reaction.seq}] is ephemeral; Slack allows no reactions")
        if reaction.added:
            changed = self.standin.add_reaction(message, reaction.name, self.user_id)
        else:
            changed = self.standin.remove_reaction(message, reaction.name, self.user_id)
        if not changed:
            state = "already has" if reaction.added else "has no"
            self.say(f"[{reaction.seq}] {state} :{reaction.name}: from {self.user_name}")
            return
        event = {
            "type": "reaction_added" if reaction.added else "reaction_removed",
            "user": self.user_id,
            "reaction": reaction.name,
            "item_user": message.user,
            "item": {"type": "message", "channel": message.channel, "ts": message.ts},
            "event_ts": event_ts(),
        }
        self._send_event(event)
        self.settle()
        self.show_changes()

    def press(self, label: str) -> None:
        """Click a button as Slack would: a signed ``block_actions`` payload to the app."""
        where, _, number = label.partition(".")
        if where == "home":
            view = self.standin.home_view(self.user_id)
            if view is None:
                raise LinkgapError("the Home tab is not open; type home first")
            _shown, buttons = number_buttons(view, "home")
            message = None
        else:
            stored = self.standin.message_by_seq(int(where))
            if stored is None or stored.deleted:
                raise LinkgapError(f"there is no message [{where}]")
            if stored.ephemeral_to not in {None, self.user_id}:
                raise LinkgapError(f"message [{where}] is only visible to someone else")
            message = self.standin.store.as_dict(stored)
            _shown, buttons = number_buttons(message, where)
            view = None
        index = int(number) - 1
        if not 0 <= index < len(buttons):
            raise LinkgapError(f"there is no button [{label}]")
        button = buttons[index]
        if button.url:
            self.say(f"opens {button.url} in the browser")
        action = action_entry(button, event_ts())
        trigger_id = self.standin.trigger_id(self.user_id)
        if view is not None:
            payload = block_actions(self.actor(), action, trigger_id=trigger_id, view=view)
        else:
            assert message is not None
            channel = str(message["channel"])
            payload = block_actions(
                self.actor(),
                action,
                trigger_id=trigger_id,
                message={k: v for k, v in message.items() if k in _MESSAGE_FIELDS},
                channel_id=channel,
                ephemeral=message.get("ephemeral_to") is not None,
                response_url=self.standin.response_url(channel, user=self.user_id),
            )
        response = self.bot.sender.interaction(payload)
        if response.status_code != 200:
            self.error(f"the app answered HTTP {response.status_code}: {response.text[:200]}")
            return
        self.settle()
        self.show_changes()

    def open_home(self) -> None:
        dm = self.standin.directory.resolve_conversation(self.user_id)
        published = len(self.standin.calls("views.publish"))
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": self.user_id,
            "channel": dm.id if dm else "",
            "tab": "home",
            "event_ts": event_ts(),
        }
        current = self.standin.home_view(self.user_id)
        if current is not None:
            event["view"] = current
        self._send_event(event)
        self.settle(expect=lambda: len(self.standin.calls("views.publish")) > published)
        self.show_changes()
        view = self.standin.home_view(self.user_id)
        if view is None:
            self.error("the app published no Home tab")
            return
        shown, _buttons = number_buttons(view, "home")
        render_view(self._labelled(shown), self.console)

    def _send_event(self, event: dict[str, Any]) -> None:
        identity = self.standin.identity
        envelope = event_envelope(identity.team_id, identity.bot_user_id, event)
        response = self.bot.sender.event(envelope)
        if response.status_code != 200:
            self.error(f"the app answered HTTP {response.status_code}: {response.text[:200]}")

    # -- waiting and printing -------------------------------------------------------------

    def settle(self, expect: Callable[[], bool] | None = None) -> None:
        """Wait for this session's jobs, then a quiet stand-in (and ``expect()``, when given)."""
        sessions, after = self.bot.runtime.sessions, self.bot.first_job_after

        def busy() -> bool:
            if pending_jobs(sessions, after) > 0:
                return True
            return expect is not None and not expect()

        spinner = self.console.status("working…") if self.console.is_terminal else nullcontext()
        with spinner:
            if not wait_for_jobs(sessions, after_id=after, timeout=JOB_TIMEOUT):
                self.say("still working; the results will show after your next line")
                return
            quiet = self.bot.feed.wait_until_quiet(
                busy=busy, timeout=HOME_TIMEOUT if expect is not None else JOB_TIMEOUT
            )
        if not quiet and expect is None:
            self.say("the bot is still busy; the rest will show after your next line")

    def show_changes(self) -> None:
        """Print each message that appeared or changed since last time, once, latest version.

        A message whose only news is a reaction gets one line, not its whole body again.
        """
        latest: dict[int, dict[str, Any]] = {}
        kinds: dict[int, set[str]] = {}
        modals: list[dict[str, Any]] = []
        for change in self.bot.feed.drain():
            if change.message is not None:
                seq = int(change.message["seq"])
                latest[seq] = change.message
                kinds.setdefault(seq, set()).add(change.kind)
            elif change.view is not None and change.view.get("type") == "modal":
                modals.append(change.view)
        for seq in sorted(latest):
            self._show_message(latest[seq], only_reacted=kinds[seq] == {"reacted"})
        for view in modals:
            render_view(self._labelled(view), self.console)
            self.fill_form(view)

    def fill_form(self, view: dict[str, Any]) -> None:
        """Answer a form's fields at the prompt and submit it, as a person would in Slack."""
        submitted = fill_in(
            view,
            ask=self.ask,
            say=self.say,
            submit=self._submit_view,
            resolve=self._resolve_reference,
        )
        if submitted:
            self.settle()
            self.show_changes()

    def _submit_view(self, view: dict[str, Any], values: dict[str, Any]) -> httpx.Response:
        payload = view_submission(
            self.actor(), view, values, trigger_id=self.standin.trigger_id(self.user_id)
        )
        return self.bot.sender.interaction(payload)

    def _resolve_reference(self, sigil: str, name: str) -> str | None:
        return self._find_channel(name) if sigil == "#" else self._find_user(name)

    def _show_message(self, message: dict[str, Any], *, only_reacted: bool = False) -> None:
        owner = message.get("ephemeral_to")
        if owner is not None and owner != self.user_id:
            user = self.standin.directory.user(str(owner))
            name = user.name if user else owner
            self.say(f"[{message['seq']}] a message only {name} can see (as {name} to read it)")
            return
        if only_reacted:
            self.console.print(reactions_line(message))
            return
        shown, _buttons = number_buttons(message, str(message["seq"]))
        render_message(self._labelled(shown), self.console)
        self._save_files(message)
        self.console.print()

    def _save_files(self, message: dict[str, Any]) -> None:
        """Write the message's attachments to ``self.files`` and say where they are."""
        for entry in message.get("files") or []:
            stored = self.standin.store.file(str(entry.get("id", "")))
            if stored is None or stored.content is None:
                continue
            path = save_attachment(self.files, stored.id, stored.name, stored.content)
            self.say(f"   saved to {path}")

    def _labelled(self, value: dict[str, Any]) -> dict[str, Any]:
        """``value`` with names on its bare channel and user references, as Slack shows them."""
        labelled: dict[str, Any] = label_references(value, self._name_of)
        return labelled

    def _name_of(self, sigil: str, ident: str) -> str | None:
        directory = self.standin.directory
        found = directory.channel(ident) if sigil == "#" else directory.user(ident)
        return found.name if found is not None else None

    # -- words -------------------------------------------------------------------------------

    def banner(self) -> None:
        lines = banner_lines(
            self.bot.settings,
            self.user_name,
            self.channel_name,
            messages=self.bot.messages_path,
            restored=self.bot.restored_messages,
        )
        for line in lines:
            self.console.print(line)
        self.console.print()

    def say(self, text: str) -> None:
        self.console.print(Text(text, style="dim"))

    def error(self, text: str) -> None:
        self.console.print(Text(f"error: {text}", style="red"))


def _enable_line_editing() -> None:
    """Arrow keys and history at the prompt, where the platform has readline."""
    with suppress(ImportError):  # Windows has no readline
        import readline  # noqa: F401
