"""A Bot API server on 127.0.0.1 that speaks enough of Telegram's HTTP API for the real `Application` to run.

Why it is product code and not a test double: `ceasefire-watch chat` and the demo run the unchanged bot against it
offline, and the tests drive the same server. It keeps every call the bot made (with parameters and files),
serves long-polling `getUpdates` from updates that a user script pushes, and can be told to answer a call with an
error (429 with retry_after, 5xx, 403, a group migration) or to stall, so delivery code meets Telegram's faults.
A per-method ``latency`` stands for Telegram's round trip, so a test can hold sends in flight (a crash mid-fan-out);
every call says whether it was answered yet. A request whose client went away is still carried out, as Telegram
would: the message counts as sent even though the bot never heard so.

Several processes can share one server, each with its own base URL (:meth:`LocalBotApi.origin_url`): every call
records which one made it, and :attr:`LocalBotApi.overlaps` lists each message that arrived while another
process still had one in flight — the check that only one replica sends at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.localtypes import JSON, Call, Chat, Fault, Limits, User, decode_param, url_entities
from sources.server import AppServer

__all__ = ["JSON", "Call", "Chat", "Fault", "Limits", "LocalBotApi", "User", "decode_param", "url_entities"]

# The base URL's prefix of the HTTP request being answered (LocalBotApi.origin_url), None without one.
_ORIGIN: contextvars.ContextVar[str | None] = contextvars.ContextVar("origin", default=None)


@dataclass
class LocalBotApi(AppServer):
    """Telegram's Bot API for one bot, on loopback; everything kept in memory."""

    token: str = "123456:LOCAL-TOKEN-not-secret"
    host: str = "127.0.0.1"
    port: int = 0
    bot_name: str = "Ceasefire Watch"
    bot_username: str = "ceasefire_watch_bot"
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    admins: dict[int, set[int]] = field(default_factory=dict)
    on_call: Callable[[Call], None] | None = None
    limits: Limits | None = None
    latency: dict[str, float] = field(default_factory=dict)  # method → seconds every such call takes to answer

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":", 1)[0])
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._files: dict[str, bytes] = {}
        self._changed = asyncio.Event()
        # What each message the bot sent shows now, (text, buttons) by (chat, message id): Telegram refuses an edit
        # that changes nothing ("message is not modified"), and a button press carries the pressed message.
        self._shown: dict[tuple[int, int], tuple[str | None, Any]] = {}
        self._answered: set[str] = set()  # callback queries answered: a second answer is refused
        self._acked = 0  # the last update id the bot confirmed it received (getUpdates' offset - 1)
        # Messages that arrived while another origin had one in flight: (this call, the other origin's call).
        self.overlaps: list[tuple[Call, Call]] = []
        self._flying: list[Call] = []  # sending calls with an origin, not yet answered

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("*", "/{origin}/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def origin_url(self, origin: str) -> str:
        """A base URL for one of several processes: its calls carry ``origin`` (letters and digits)."""
        return f"http://{self.host}:{self.port}/{origin}/bot"

    # -- what a user does -----------------------------------------------------------------------------------------

    def _push(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), kind: payload}
        self._updates.append(update)
        self._changed.set()
        return update

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _message(self, chat: Chat, user: User | None, **content: Any) -> JSON:
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_api(user),
            **content,
        }
        if user is not None:
            message["from"] = user.to_api()
        return message

    def send_text(self, chat: Chat, user: User, text: str, *, reply_to: int | None = None) -> JSON:
        """A user types `text`; a leading /command gets its entity, as Telegram's clients send it. ``reply_to``
        makes it a reply to the bot's message with that id (as answering a ForceReply question does)."""
        content: JSON = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if links := url_entities(text):  # Telegram's clients mark web addresses too
            content["entities"] = [*content.get("entities", []), *links]
        if reply_to is not None:
            asked = next(
                (c.result for c in reversed(self.calls) if c.chat_id == chat.id and c.result is not None
                 and isinstance(c.result, dict) and c.result.get("message_id") == reply_to),
                None,
            )  # fmt: skip
            content["reply_to_message"] = asked or {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": chat.to_api(user),
                "from": {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name},
            }
        return self._push("message", self._message(chat, user, **content))

    def forward_channel_post(self, chat: Chat, user: User, text: str, channel: Chat, *, posted: int) -> JSON:
        """A user forwards a post of ``channel`` (published at ``posted``, Unix time) into ``chat``."""
        origin = {"type": "channel", "chat": channel.to_api(), "message_id": 7, "date": posted}
        content: JSON = {"text": text, "forward_origin": origin, "forward_date": posted}
        if links := url_entities(text):
            content["entities"] = links
        return self._push("message", self._message(chat, user, **content))

    def send_document(self, chat: Chat, user: User, filename: str, data: bytes, mime: str = "text/plain") -> JSON:
        file_id = f"doc{len(self._files) + 1}"
        self._files[file_id] = data
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(data),
        }
        return self._push("message", self._message(chat, user, document=document))

    def press_button(self, chat: Chat, user: User, message_id: int, data: str) -> JSON:
        """A user taps a button; the update carries the message as it is shown (its text and buttons) when the bot
        sent it, as Telegram's does."""
        text, markup = self._shown.get((chat.id, message_id), ("…", None))
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat.to_api(user), "text": text or "…"}
        if markup is not None:
            message["reply_markup"] = markup
        query = {
            "id": str(next(self._update_ids)),
            "from": user.to_api(),
            "chat_instance": str(chat.id),
            "message": message,
            "data": data,
        }
        return self._push("callback_query", query)

    def member_change(self, chat: Chat, user: User, old: str, new: str) -> JSON:
        """The bot's own membership in `chat` changed (added, kicked, blocked), as `my_chat_member` reports it."""
        bot = {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name, "username": self.bot_username}
        change = {
            "chat": chat.to_api(user),
            "from": user.to_api(),
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot},
            "new_chat_member": {"status": new, "user": bot, **_MEMBER_EXTRAS.get(new, {})},
        }
        return self._push("my_chat_member", change)

    def migrate(self, chat: Chat, user: User, new_chat_id: int) -> JSON:
        """A group became a supergroup: Telegram sends a service message carrying the new id."""
        return self._push("message", self._message(chat, user, migrate_to_chat_id=new_chat_id))

    @property
    def unfetched(self) -> int:
        """Updates pushed that the bot has not yet confirmed receiving."""
        return sum(1 for u in self._updates if u["update_id"] > self._acked)

    # -- what the bot did -----------------------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        """Successful calls that put something into a chat (messages, photos, documents, edits)."""
        wanted = {method} if method else _SENDING
        return [
            c
            for c in self.calls
            if c.method in wanted and c.result is not None and (chat_id is None or c.chat_id == chat_id)
        ]

    def unanswered(self, method: str | None = None) -> list[Call]:
        """Calls received but not yet answered (in flight at the server), e.g. when the bot was killed."""
        return [c for c in self.calls if not c.answered and (method is None or c.method == method)]

    async def wait_for(self, predicate: Callable[[list[Call]], bool], within: float = 10.0) -> None:
        """Until `predicate(calls)` holds; raises TimeoutError after `within` seconds (a bounded wait)."""
        deadline = asyncio.get_running_loop().time() + within
        while not predicate(self.calls):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError(f"condition not met within {within}s; last calls: {self.calls[-5:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.5))

    # -- HTTP -----------------------------------------------------------------------------------------------------

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        data = self._files.get(request.match_info["path"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _read(self, request: web.Request) -> tuple[JSON, dict[str, tuple[str, bytes]]]:
        params: JSON = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    params[key] = decode_param(str(value))
        return params, files

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params, files = await self._read(request)
        _ORIGIN.set(request.match_info.get("origin"))  # each request is its own task: the value stays with it
        status, body = await self.dispatch(request.match_info["method"], params, files)
        if isinstance(body, bytes):
            return web.Response(body=body, status=status, content_type="text/html")
        return web.json_response(body, status=status)

    async def dispatch(
        self, method: str, params: JSON, files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, JSON | bytes]:
        """Answer one Bot API call: the recorded call, an injected fault, or the method's result."""
        origin = _ORIGIN.get()
        call = Call(method, params, files, time.monotonic(), origin=origin)
        tracked = method in _SENDING and origin is not None
        if tracked:
            other = next((c for c in self._flying if c.origin != origin), None)
            if other is not None:
                self.overlaps.append((call, other))
            self._flying.append(call)
        self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)
        try:
            delay = self.latency.get(method, 0.0)
            if delay > 0:
                await asyncio.sleep(delay)
            return await self._answer(call)
        finally:
            call.answered = True
            if tracked:
                self._flying.remove(call)
            self._changed.set()

    async def _answer(self, call: Call) -> tuple[int, JSON | bytes]:
        method, params, files = call.method, call.params, call.files
        fault = next((f for f in self.faults if f.matches(method, params)), None)
        if fault is not None:
            fault.times -= 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            self._changed.set()
            if fault.raw is not None:
                return fault.error_code, fault.raw
            body: JSON = {"ok": False, "error_code": fault.error_code, "description": fault.description}
            if fault.parameters:
                body["parameters"] = fault.parameters
            return fault.error_code, body
        if self.limits is not None and method in _SENDING and method != "editMessageText" and "chat_id" in params:
            wait = self.limits.check(int(params["chat_id"]), time.monotonic())
            if wait is not None:
                retry_after = max(1, math.ceil(wait))
                body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                        "parameters": {"retry_after": retry_after}}  # fmt: skip
                return 429, body
        handler = getattr(self, f"_api_{method.lower()}", None)
        try:
            result = await handler(params, files) if handler else True
        except _Refused as refused:
            self._changed.set()
            return refused.code, {"ok": False, "error_code": refused.code, "description": refused.description}
        call.result = result
        self._changed.set()
        return 200, {"ok": True, "result": result}

    async def _api_getme(self, params: JSON, files: Any) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getupdates(self, params: JSON, files: Any) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._acked = max(self._acked, offset - 1)
        timeout = min(float(params.get("timeout") or 0), 30.0)
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.25))
        return self._updates[: int(params.get("limit") or 100)]

    def _bot_message(self, params: JSON, **content: Any) -> JSON:
        chat_id = int(params["chat_id"])
        chat: JSON = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        bot = {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name, "username": self.bot_username}
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": bot,
            **content,
        }
        if isinstance(params.get("reply_markup"), dict) and "inline_keyboard" in params["reply_markup"]:
            message["reply_markup"] = params["reply_markup"]  # Telegram echoes inline keyboards only (no ForceReply)
        return message

    async def _api_sendmessage(self, params: JSON, files: Any) -> JSON:
        message = self._bot_message(params, text=str(params.get("text", "")))
        self._shown[(message["chat"]["id"], message["message_id"])] = (message["text"], params.get("reply_markup"))
        return message

    def _edit(self, params: JSON, text: str | None) -> JSON:
        """An edit of a message the bot sent: refused as Telegram does when it would change nothing (a double tap
        asking for the page already shown). ``text`` None keeps the text; buttons not sent are removed."""
        key = (int(params["chat_id"]), int(params.get("message_id") or 0))
        shown = self._shown.get(key)
        wanted = (shown[0] if shown is not None and text is None else text, params.get("reply_markup"))
        if shown is not None and wanted == shown:
            raise _Refused(400, NOT_MODIFIED)
        self._shown[key] = wanted
        message = self._bot_message(params, text=wanted[0] or "")
        message["message_id"] = key[1] or message["message_id"]
        return message

    async def _api_editmessagetext(self, params: JSON, files: Any) -> JSON:
        return self._edit(params, str(params.get("text", "")))

    async def _api_editmessagereplymarkup(self, params: JSON, files: Any) -> JSON:
        return self._edit(params, None)

    async def _api_answercallbackquery(self, params: JSON, files: Any) -> bool:
        """Telegram's limits on an answer: one per query, a pop-up text of at most 200 characters."""
        query_id = str(params.get("callback_query_id"))
        if query_id in self._answered:
            raise _Refused(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > POPUP_MAX:
            raise _Refused(400, "Bad Request: MESSAGE_TOO_LONG")
        self._answered.add(query_id)
        return True

    async def _api_sendphoto(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        size = len(files["photo"][1]) if "photo" in files else 0
        photo = [
            {
                "file_id": f"photo{len(self.calls)}",
                "file_unique_id": f"p{len(self.calls)}",
                "width": 1,
                "height": 1,
                "file_size": size,
            }
        ]
        return self._bot_message(params, photo=photo, caption=params.get("caption"))

    async def _api_senddocument(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        name, data = files.get("document", ("file", b""))
        document = {
            "file_id": f"doc{len(self.calls)}",
            "file_unique_id": f"d{len(self.calls)}",
            "file_name": name,
            "file_size": len(data),
        }
        return self._bot_message(params, document=document, caption=params.get("caption"))

    async def _api_getfile(self, params: JSON, files: Any) -> JSON:
        file_id = str(params["file_id"])
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self._files.get(file_id, b"")),
            "file_path": file_id,
        }

    async def _api_getchatmember(self, params: JSON, files: Any) -> JSON:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if user_id in self.admins.get(chat_id, set()):
            return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        return {"status": "member", "user": user}

    async def _api_getchatadministrators(self, params: JSON, files: Any) -> list[JSON]:
        chat_id = int(params["chat_id"])
        return [
            {"status": "administrator", "user": {"id": uid, "is_bot": False, "first_name": "Admin"}, **_ADMIN_RIGHTS}
            for uid in sorted(self.admins.get(chat_id, set()))
        ]


NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as "
    "a current content and reply markup of the message"
)
POPUP_MAX = 200  # characters of a callback answer's text


class _Refused(Exception):
    """A call Telegram would refuse with this error, raised inside a method's handler."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


_SENDING = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
_ADMIN_RIGHTS: JSON = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}
# Fields Telegram sends with some member statuses (a ban carries until_date; 0 means forever).
_MEMBER_EXTRAS: dict[str, JSON] = {"administrator": _ADMIN_RIGHTS, "kicked": {"until_date": 0}}
