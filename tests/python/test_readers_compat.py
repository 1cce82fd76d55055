"""The readers of Bedrock's compatible APIs by their hooks: Chat Completions, Responses, Messages.

Each reader is driven as the HTTP transport drives it: ``on_request`` with the parsed JSON
request body, ``on_success`` with the parsed JSON response body, or, for a streamed request,
``on_success`` hands back ``call.watch(...)`` and every server-sent event arrives as
``{"event": name, "data": parsed JSON or "[DONE]"}``. The bodies and events are the fake
Bedrock's own (tests/support/fake_compat.py), decoded from the bytes it sends; the lines go
through the real ``record_llm_call`` (tokens, cost, ``usage_unknown``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from genai_observability.instrumentation import READERS
from genai_observability.instrumentation.call import PendingCall, WatchedStream
from support import fake_compat, lines_of
from support.fake_bedrock import Reply

GPT_OSS = "openai.gpt-oss-120b-1:0"  # bedrock-runtime's id (model-parameters-openai)
OPUS = "anthropic.claude-opus-4-8"  # bedrock-mantle's Messages API id
SONNET = "anthropic.claude-sonnet-4-6"  # priced with 1-hour cache writes
KEYS = {"chat": ("openai", "ChatCompletions"), "responses": ("openai", "Responses")}
KEYS["messages"] = ("anthropic", "Messages")


def decode(frames: Iterable[bytes]) -> list[dict[str, Any]]:
    """Server-sent events as the transport hands them to a reader (name, parsed data)."""
    events = []
    for frame in frames:
        name, data = None, ""
        for line in frame.decode().splitlines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data = line[len("data: ") :]
        try:
            parsed: Any = json.loads(data)
        except ValueError:
            parsed = data
        events.append({"event": name, "data": parsed})
    return events


def start(shape: str, params: Mapping[str, Any]) -> tuple[PendingCall, Any]:
    reader = READERS.find(*KEYS[shape])
    assert reader is not None
    call = PendingCall(reader.operation, {"service": "svc"})
    reader.on_request(call, params)
    return call, reader


def whole(shape: str, params: Mapping[str, Any], body: Any) -> PendingCall:
    """A call answered with a whole JSON body; its line is written."""
    call, reader = start(shape, params)
    assert reader.on_success(call, body) is body and not call.watched
    call.finish()
    return call


def streamed(shape: str, params: Mapping[str, Any], events: list[Any], upto: int = -1) -> Any:
    """A streamed call: the reader watches the stream; read ``upto`` events (all by default)."""
    call, reader = start(shape, {**params, "stream": True})
    stream = reader.on_success(call, events)
    assert isinstance(stream, WatchedStream) and call.watched
    seen = []
    for index, event in enumerate(stream):
        seen.append(event)
        if index == upto:
            break
    stream.close()
    assert call.done and seen == events[: len(seen)]
    return call


def line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    found = lines_of(capsys.readouterr().out)
    assert len(found) == 1, found
    return found[0]


# ---- Chat Completions -----------------------------------------------------------------------


def test_chat_completions_reads_usage_finish_reason_and_cache_parts(capsys: Any) -> None:
    reply = Reply(input_tokens=100, output_tokens=20, cache_read_tokens=40, stop_reason="stop")
    call = whole("chat", {"model": GPT_OSS}, fake_compat.chat_body(reply, GPT_OSS))
    assert call.usage == {
        "input_tokens": 100,  # prompt_tokens 140 less the 40 cached
        "output_tokens": 20,
        "cache_read_tokens": 40,
        "cache_write_tokens": None,
    }
    out = line(capsys)
    assert out["model"] == GPT_OSS and out["operation"] == "chat_completions"
    assert out["stop_reason"] == "stop" and out["input_tokens"] == 100
    # gpt-oss has no published cache-read price: a call that read the cache is unpriced
    assert out["pricing"] == "unknown" and out.get("cost_usd") is None


def test_chat_completions_line_is_priced_from_the_catalog(capsys: Any) -> None:
    reply = Reply(input_tokens=1_000_000, output_tokens=1_000_000)
    whole("chat", {"model": GPT_OSS}, fake_compat.chat_body(reply, GPT_OSS))
    out = line(capsys)
    assert out["pricing"] == "catalog" and out["cost_usd"] == pytest.approx(0.15 + 0.60)


def test_chat_completions_without_usage_is_usage_unknown(capsys: Any) -> None:
    body = fake_compat.chat_body(Reply(omit_usage=True), GPT_OSS)
    assert body["usage"] is None
    call = whole("chat", {"model": GPT_OSS}, body)
    assert call.usage is None
    out = line(capsys)
    assert out["usage_unknown"] is True and out.get("cost_usd") is None


def test_chat_completions_stream_reads_the_usage_chunk_when_asked(capsys: Any) -> None:
    request = {"model": GPT_OSS, "stream_options": {"include_usage": True}}
    reply = Reply(input_tokens=7, output_tokens=5, stop_reason="length")
    events = decode(fake_compat.chat_events(reply, GPT_OSS, request))
    assert events[-1]["data"] == "[DONE]" and events[-2]["data"]["usage"]
    call = streamed("chat", request, events)
    assert call.usage is not None and call.usage["input_tokens"] == 7
    assert call.usage["output_tokens"] == 5
    assert call.facts["stop_reason"] == "length" and call.facts["ttft_ms"] >= 0
    assert line(capsys)["output_tokens"] == 5


def test_chat_completions_stream_without_include_usage_is_usage_unknown(capsys: Any) -> None:
    events = decode(fake_compat.chat_events(Reply(), GPT_OSS, {"model": GPT_OSS}))
    assert not any(isinstance(e["data"], dict) and e["data"].get("usage") for e in events)
    call = streamed("chat", {"model": GPT_OSS}, events)
    assert call.usage is None and call.facts["stop_reason"] == "end_turn"
    out = line(capsys)
    assert out["usage_unknown"] is True and out["input_tokens"] == 0


def test_chat_completions_stream_abandoned_early_is_one_line_without_usage(capsys: Any) -> None:
    request = {"model": GPT_OSS, "stream_options": {"include_usage": True}}
    events = decode(fake_compat.chat_events(Reply(), GPT_OSS, request))
    call = streamed("chat", request, events, upto=2)
    assert call.usage is None and "ttft_ms" in call.facts
    assert line(capsys)["usage_unknown"] is True


def test_chat_completions_stream_error_event_marks_the_line(capsys: Any) -> None:
    events = decode([fake_compat.stream_error_event("ChatCompletions", "server_error")])
    call = streamed("chat", {"model": GPT_OSS}, events)
    assert call.facts["status"] == "error" and call.facts["error_type"] == "server_error"
    out = line(capsys)
    assert out["status"] == "error" and out["error_type"] == "server_error"


def test_chat_completions_takes_the_model_from_the_body_when_the_request_has_none() -> None:
    call = whole("chat", {}, fake_compat.chat_body(Reply(), GPT_OSS))
    assert call.model == GPT_OSS


# ---- Responses ------------------------------------------------------------------------------


def test_responses_reads_usage_and_status(capsys: Any) -> None:
    reply = Reply(input_tokens=30, output_tokens=9, cache_read_tokens=10)
    call = whole(
        "responses", {"model": "openai.gpt-oss-120b"}, fake_compat.responses_body(reply, "m")
    )
    assert call.usage == {
        "input_tokens": 30,
        "output_tokens": 9,
        "cache_read_tokens": 10,
        "cache_write_tokens": None,
    }
    assert call.facts["stop_reason"] == "completed"
    out = line(capsys)
    assert out["model"] == "openai.gpt-oss-120b" and out["operation"] == "responses"


def test_responses_incomplete_says_why() -> None:
    body = fake_compat.responses_body(Reply(stop_reason="max_output_tokens"), "m")
    call = whole("responses", {"model": "m"}, body)
    assert call.facts["stop_reason"] == "max_output_tokens"


def test_responses_stream_reads_response_completed(capsys: Any) -> None:
    reply = Reply(input_tokens=4, output_tokens=6)
    events = decode(fake_compat.responses_events(reply, "openai.gpt-oss-20b"))
    assert events[-1]["event"] == "response.completed"
    call = streamed("responses", {"model": "openai.gpt-oss-20b"}, events)
    assert call.usage is not None and call.usage["output_tokens"] == 6
    assert call.facts["stop_reason"] == "completed" and "ttft_ms" in call.facts
    assert line(capsys)["input_tokens"] == 4


def test_responses_stream_cut_before_completed_is_usage_unknown(capsys: Any) -> None:
    events = decode(fake_compat.responses_events(Reply(), "m"))
    call = streamed("responses", {"model": "m"}, events, upto=3)
    assert call.usage is None
    assert line(capsys)["usage_unknown"] is True


def test_responses_background_request_answered_queued_is_usage_unknown(capsys: Any) -> None:
    body = fake_compat.responses_body(Reply(), "m", status="in_progress")
    body["status"] = "queued"
    call = whole("responses", {"model": "m", "background": True}, body)
    assert call.usage is None and call.facts["stop_reason"] == "queued"
    assert line(capsys)["usage_unknown"] is True


def test_responses_stream_error_event_marks_the_line() -> None:
    events = decode([fake_compat.stream_error_event("Responses", "rate_limit_exceeded")])
    call = streamed("responses", {"model": "m"}, events)
    assert call.facts["error_type"] == "rate_limit_exceeded"


# ---- Anthropic Messages ---------------------------------------------------------------------


def test_messages_reads_usage_with_cache_tokens_by_ttl(capsys: Any) -> None:
    body = fake_compat.messages_body(
        Reply(input_tokens=50, output_tokens=8, cache_read_tokens=1000, cache_write_tokens=300),
        SONNET,
    )
    body["usage"]["cache_creation"] = {
        "ephemeral_5m_input_tokens": 100,
        "ephemeral_1h_input_tokens": 200,
    }
    call = whole("messages", {"model": SONNET}, body)
    assert call.usage == {
        "input_tokens": 50,
        "output_tokens": 8,
        "cache_read_tokens": 1000,
        "cache_write_tokens": 300,
    }
    assert call.facts["cache_write_1h_tokens"] == 200
    out = line(capsys)
    assert out["operation"] == "messages" and out["stop_reason"] == "end_turn"
    assert out["model"] == SONNET and out["pricing"] == "catalog" and out["cost_usd"] > 0


def test_messages_stream_reads_message_start_and_message_delta(capsys: Any) -> None:
    reply = Reply(input_tokens=12, output_tokens=30, cache_read_tokens=5, stop_reason="max_tokens")
    events = decode(fake_compat.messages_events(reply, OPUS))
    call = streamed("messages", {"model": OPUS}, events)
    assert call.usage == {
        "input_tokens": 12,
        "output_tokens": 30,  # message_delta's cumulative count wins over message_start's 1
        "cache_read_tokens": 5,
        "cache_write_tokens": None,
    }
    assert call.facts["stop_reason"] == "max_tokens" and "ttft_ms" in call.facts
    assert line(capsys)["output_tokens"] == 30


def test_messages_stream_cut_after_message_start_keeps_what_it_said() -> None:
    events = decode(fake_compat.messages_events(Reply(input_tokens=12), OPUS))
    call = streamed("messages", {"model": OPUS}, events, upto=0)
    assert call.usage is not None and call.usage["input_tokens"] == 12
    assert call.usage["output_tokens"] == 1


def test_messages_stream_error_event_marks_the_line(capsys: Any) -> None:
    events = decode(fake_compat.messages_events(Reply(), OPUS))[:2]
    events += decode([fake_compat.stream_error_event("Messages", "overloaded_error")])
    call = streamed("messages", {"model": OPUS}, events)
    assert call.facts["error_type"] == "overloaded_error"
    assert line(capsys)["status"] == "error"


# ---- every reader ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", sorted(KEYS))
def test_compat_readers_ignore_what_they_cannot_read(shape: str) -> None:
    call, reader = start(shape, ["not", "a", "body"])  # type: ignore[arg-type]
    assert call.model is None
    for event in (None, "x", {"event": "x", "data": "[DONE]"}, {"data": {"choices": "?"}}):
        reader.on_stream_event(call, event)
    assert reader.on_success(call, {"usage": {"input_tokens": "many"}}) is not None
    assert call.usage is None


@pytest.mark.parametrize("shape", sorted(KEYS))
def test_compat_reader_errors_before_a_response_are_billed_nothing(shape: str) -> None:
    call, reader = start(shape, {"model": GPT_OSS})
    reader.on_error(call, RuntimeError("429"))
    assert call.usage == {
        "input_tokens": 0,
        "output_tokens": 0,
        "cache_read_tokens": None,
        "cache_write_tokens": None,
    }


# ---- content, when GENAI_LOG_CONTENT opts in ------------------------------------------------

USER = {"role": "user", "content": "2+2?"}
WITH_USAGE = {"stream_options": {"include_usage": True}}

PROMPTS = {
    "chat": {"messages": [{"role": "system", "content": "Be brief."}, USER]},
    "responses": {"input": [{"role": "user", "content": [{"type": "input_text", "text": "2+2?"}]}]},
    "messages": {"messages": [{"role": "user", "content": [{"type": "text", "text": "2+2?"}]}]},
}
BODIES = {
    "chat": fake_compat.chat_body,
    "responses": fake_compat.responses_body,
    "messages": fake_compat.messages_body,
}
EVENTS = {
    "chat": lambda reply, model: fake_compat.chat_events(reply, model, WITH_USAGE),
    "responses": fake_compat.responses_events,
    "messages": fake_compat.messages_events,
}


@pytest.mark.parametrize("shape", sorted(KEYS))
def test_compat_readers_log_prompt_and_answer_when_asked(
    shape: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("GENAI_LOG_CONTENT", "true")
    whole(shape, {"model": "m", **PROMPTS[shape]}, BODIES[shape](Reply(), "m"))
    streamed(shape, {"model": "m", **PROMPTS[shape]}, decode(EVENTS[shape](Reply(), "m")))
    lines = lines_of(capsys.readouterr().out)
    assert [(out["prompt"], out["response"]) for out in lines] == [("2+2?", "2 plus 2 is 4")] * 2


@pytest.mark.parametrize("shape", sorted(KEYS))
def test_compat_readers_log_no_content_by_default(shape: str, capsys: Any) -> None:
    whole(shape, {"model": "m", **PROMPTS[shape]}, BODIES[shape](Reply(), "m"))
    out = line(capsys)
    assert "prompt" not in out and "response" not in out


@pytest.mark.parametrize("shape", sorted(KEYS))
def test_compat_readers_take_pushed_stream_events_without_on_success(
    shape: str, capsys: Any
) -> None:
    """The HTTP transport decodes the bytes as the caller reads them and pushes each event."""
    call, reader = start(shape, {"model": "m", "stream": True, **WITH_USAGE})
    assert reader.on_success(call, None) is None and not call.watched  # nothing to watch
    for event in decode(EVENTS[shape](Reply(), "m")):
        reader.on_stream_event(call, event)
    reader.on_stream_end(call, None)
    call.finish()
    out = line(capsys)
    assert (out["input_tokens"], out["output_tokens"]) == (12, 3) and "ttft_ms" in out
