"""The terminal never misleads (issue 18, item 7): hostile flags, environments, files and
numbers get one line on stderr and the documented exit status, or a right answer; never a
traceback, never a wrong total.

Exit statuses (genai_observability.cli, README "From the terminal"): 0 success, 1 runtime
error, 2 bad usage.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability.cli import _aws, _format, _insights, main
from genai_observability.cli.commands import reconcile as _reconcile
from support import REPO
from support.cli import FakeTime, add_definitions, add_results, add_start, definition

UNREACHABLE = "http://127.0.0.1:9"
"""The discard port: nothing listens, so every call fails to connect at once."""


def _one_line_error(text: str) -> None:
    assert text.count("\n") == 1 and text.startswith("genai-obs: error: "), text
    assert "Traceback" not in text


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """Test keys, no profile, no region, no config file: what a new user's shell may hold."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "GENAI_OBS_DECK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return monkeypatch


# --- the region: empty values, AWS_REGION --------------------------------------------------

REGION_COMMANDS = [
    ["ask", "daily-cost", "--deck", "prod"],
    ["spend", "--deck", "prod"],
    ["questions", "--deck", "prod"],
    ["budget", "status", "--deck", "prod"],
]


@pytest.mark.parametrize("argv", REGION_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_empty_region_flag_is_one_line_exit_2(
    offline: pytest.MonkeyPatch, fake_time: FakeTime, argv: list[str], capsys: Any
) -> None:
    assert main([*argv, "--region", ""]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "--region" in err


@pytest.mark.parametrize("variable", ["AWS_DEFAULT_REGION", "AWS_REGION"])
@pytest.mark.parametrize("argv", REGION_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_empty_region_variable_is_one_line_exit_2(
    offline: pytest.MonkeyPatch, fake_time: FakeTime, argv: list[str], variable: str, capsys: Any
) -> None:
    # As the AWS CLI v2 does, a variable that is set counts even when empty: it is not
    # skipped for the next one, and an empty Region is an error (here one line, exit 2).
    offline.setenv(variable, "")
    if variable == "AWS_REGION":  # not skipped for the next variable
        offline.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert main(argv) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert variable in err


def test_aws_region_wins_over_aws_default_region(offline: pytest.MonkeyPatch) -> None:
    offline.setenv("AWS_DEFAULT_REGION", "us-east-1")
    offline.setenv("AWS_REGION", "eu-west-3")
    assert _insights.make_client().meta.region_name == "eu-west-3"
    assert _aws.make_client("lambda").meta.region_name == "eu-west-3"
    # --region wins over both.
    assert _aws.make_client("cloudwatch", "ap-south-1").meta.region_name == "ap-south-1"


def test_aws_region_alone_is_enough(offline: pytest.MonkeyPatch) -> None:
    offline.setenv("AWS_REGION", "eu-central-1")
    assert _aws.make_client("logs").meta.region_name == "eu-central-1"


def test_no_region_names_both_variables(offline: pytest.MonkeyPatch, capsys: Any) -> None:
    assert main(["questions", "--deck", "prod"]) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "AWS_REGION" in err and "AWS_DEFAULT_REGION" in err


# --- budget status --format json: stdout is only JSON ---------------------------------------


def _budget_clients(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """The budget function (Lambda) and its metrics (CloudWatch), stubbed."""
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    lam = boto3.client("lambda", region_name="us-east-1", **keys)
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1", **keys)
    lam_stub, cw_stub = Stubber(lam), Stubber(cloudwatch)
    lam_stub.add_response(
        "get_function_configuration",
        {
            "FunctionName": "prod-budget",
            "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:prod-budget",
            "Environment": {"Variables": env},
        },
        {"FunctionName": "prod-budget"},
    )
    cw_stub.add_response("get_metric_data", {"MetricDataResults": []})
    lam_stub.activate()
    cw_stub.activate()
    clients = {"lambda": lam, "cloudwatch": cloudwatch}
    monkeypatch.setattr(
        _aws, "make_client", lambda service, region=None, profile=None: clients[service]
    )


def test_budget_status_json_is_only_json_when_the_time_zone_is_unknown(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    _budget_clients(
        monkeypatch,
        {
            "GENAI_BUDGET_SERVICES": "chat",
            "GENAI_BUDGET_USD": "10",
            "GENAI_BUDGET_TIME_ZONE": "Mars/Olympus_Mons",
        },
    )
    assert main(["budget", "status", "--deck", "prod", "--format", "json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)  # nothing before or after the document
    assert document["time_zone"] == "UTC"
    assert captured.err.startswith("genai-obs: warning: ") and captured.err.count("\n") == 1
    assert "Mars/Olympus_Mons" in captured.err


# --- report: numbers outside what a call can be ---------------------------------------------


def _line(**fields: object) -> str:
    base: dict[str, object] = {"event": "llm_call", "model": "m", "status": "ok"}
    base.update({"latency_ms": 10, "input_tokens": 1, "output_tokens": 1, "cost_usd": 0.5})
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def _report_json(path: Path, capsys: Any) -> dict[str, Any]:
    assert main(["report", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "latency", [-5, -0.001, 86_400_001, 1e12, 10**30, "12", True, float("inf"), float("nan")]
)
def test_report_skips_and_counts_latencies_no_call_can_take(
    tmp_path: Path, latency: object, capsys: Any
) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_text(
        "\n".join([_line(latency_ms=100), _line(latency_ms=latency), _line(latency_ms=300)]) + "\n"
    )
    got = _report_json(path, capsys)
    assert got["lines"]["invalid_counts"] == 1 and got["lines"]["llm_calls"] == 3
    (row,) = got["rows"]
    assert row["calls"] == 2 and row["total_cost_usd"] == 1.0
    assert (row["p50_ms"], row["p99_ms"]) == (100, 300)


def test_report_keeps_a_missing_or_null_latency_and_a_day_long_one(
    tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "calls.jsonl"
    no_latency = json.loads(_line())
    del no_latency["latency_ms"]
    lines = [_line(latency_ms=None), json.dumps(no_latency), _line(latency_ms=86_400_000)]
    path.write_text("\n".join(lines) + "\n")
    got = _report_json(path, capsys)
    assert got["lines"]["invalid_counts"] == 0
    assert got["rows"][0]["calls"] == 3 and got["rows"][0]["p50_ms"] == 86_400_000


def test_report_table_says_what_it_skipped(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_text(_line(latency_ms=-1) + "\n" + _line() + "\n")
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 llm_call lines skipped" in out and "latency_ms" in out


# --- report: text written by other tools ----------------------------------------------------

MODEL = "modèle-€"  # non-ASCII in a value: the encoding must be read right
CALLS = [_line(model=MODEL, latency_ms=ms, cost_usd=0.25) for ms in (10, 20, 30)]


def _encoded(name: str) -> bytes:
    text = "\n".join(CALLS) + "\n"
    if name == "utf-8":
        return text.encode("utf-8")
    if name == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if name == "utf-16-le-bom":  # PowerShell 5: Out-File, > and Set-Content -Encoding Unicode
        return codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")
    if name == "utf-16-be-bom":  # PowerShell: -Encoding BigEndianUnicode
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if name == "utf-16-le":  # no BOM (e.g. iconv -t UTF-16LE)
        return text.encode("utf-16-le")
    if name == "utf-32-bom":  # PowerShell: -Encoding UTF32
        return codecs.BOM_UTF32_LE + text.encode("utf-32-le")
    if name == "crlf":  # Windows tools
        return text.replace("\n", "\r\n").encode("utf-8")
    if name == "cr":  # classic Mac OS line ends
        return text.replace("\n", "\r").encode("utf-8")
    if name == "no-final-newline":
        return text.rstrip("\n").encode("utf-8")
    if name == "cp1252":  # Windows "ANSI" (PowerShell 5 Set-Content default), Latin-1 kin
        return text.encode("cp1252")
    if name == "latin-1":
        return text.replace("€", "¤").encode("latin-1")
    raise AssertionError(name)


ENCODINGS = [
    "utf-8",
    "utf-8-bom",
    "utf-16-le-bom",
    "utf-16-be-bom",
    "utf-16-le",
    "utf-32-bom",
    "crlf",
    "cr",
    "no-final-newline",
    "cp1252",
    "latin-1",
]


def _expected_model(name: str) -> str:
    return MODEL.replace("€", "¤") if name == "latin-1" else MODEL


@pytest.mark.parametrize("name", ENCODINGS)
def test_report_reads_a_file_whatever_tool_wrote_it(tmp_path: Path, name: str, capsys: Any) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_bytes(_encoded(name))
    got = _report_json(path, capsys)
    assert got["lines"] == {
        "lines": 3,
        "llm_calls": 3,
        "other_events": 0,
        "non_json": 0,
        "invalid_counts": 0,
    }
    (row,) = got["rows"]
    assert row["model"] == _expected_model(name) and row["total_cost_usd"] == 0.75


@pytest.mark.parametrize("name", ["utf-8-bom", "utf-16-le-bom", "cr", "latin-1"])
def test_report_reads_stdin_whatever_tool_wrote_it(
    monkeypatch: pytest.MonkeyPatch, name: str, capsys: Any
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(_encoded(name)), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["report", "-", "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["lines"]["llm_calls"] == 3 and got["lines"]["non_json"] == 0
    assert got["rows"][0]["model"] == _expected_model(name)


def test_report_stdin_of_latin_1_bytes_in_a_real_process() -> None:
    """``report -`` as a shell runs it: the real stdin, bytes that are not UTF-8."""
    done = subprocess.run(
        [sys.executable, "-m", "genai_observability.cli", "report", "-", "--format", "json"],
        input=_encoded("latin-1"),
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert json.loads(done.stdout)["rows"][0]["model"] == _expected_model("latin-1")


@pytest.mark.parametrize("kind", ["gzip", "binary"])
def test_report_refuses_what_is_not_text_in_one_line(
    tmp_path: Path, kind: str, capsys: Any
) -> None:
    data = "\n".join(CALLS).encode()
    path = tmp_path / "calls.bin"
    path.write_bytes(gzip.compress(data) if kind == "gzip" else bytes(range(256)) * 4)
    assert main(["report", str(path)]) == 2
    captured = capsys.readouterr()
    _one_line_error(captured.err)
    assert captured.out == ""
    assert ("gzip" in captured.err) if kind == "gzip" else ("not text" in captured.err)


# --- the number formatter: absurd amounts ---------------------------------------------------

ABSURD = [1e300, -1e300, 10**400, 10**5000, 1.7976931348623157e308]


@pytest.mark.parametrize("value", ABSURD, ids=["1e300", "-1e300", "10**400", "10**5000", "max"])
def test_formatter_shows_absurd_numbers_without_crashing(value: float | int) -> None:
    usd = _format.format_usd(value)
    number = _format.format_number(value)
    assert "e+" in usd and usd.lstrip("-").startswith("$") and len(usd) < 20
    assert "e+" in number and len(number) < 20
    rows = [{"model": "m", "total_cost_usd": value, "calls": value}]
    for fmt in _format.FORMATS:
        text = _format.render(fmt, ["model", "total_cost_usd", "calls"], rows, total=rows[0])
        assert text.endswith("\n")
    text = _format.render("json", ["total_cost_usd"], rows)
    document = json.loads(text, parse_int=Decimal, parse_float=Decimal)
    written = document[0]["total_cost_usd"]
    if isinstance(value, float):  # the same float reads back: JSON keeps the value
        assert float(written) == value
    elif len(str(Decimal(value))) <= sys.get_int_max_str_digits():
        assert written == Decimal(value)  # an int's every digit
    else:  # beyond what Python prints: null, as in the payload's lines (one encoder)
        assert written is None
    assert "e+" not in text.lower()  # as plain decimals, like the payload's lines


@pytest.mark.parametrize(
    "text",
    ["1e300", "9" * 5000, "-" + "9" * 5000, "1e99999"],
    ids=["1e300", "9x5000", "-9x5000", "1e99999"],
)
def test_formatter_reads_absurd_numeric_text_without_crashing(text: str) -> None:
    rows = [{"total_cost_usd": text, "calls": text}]
    for fmt in _format.FORMATS:
        assert _format.render(fmt, ["total_cost_usd", "calls"], rows).endswith("\n")


def test_formatter_keeps_ordinary_amounts_as_they_were() -> None:
    assert _format.format_usd(12.3456) == "$12.35"
    assert _format.format_usd(999_999_999_999_999) == "$999,999,999,999,999.00"
    assert _format.format_number(123_456_789) == "123,456,789"
    assert _format.format_usd(0.000123) == "$0.000123"


@pytest.mark.parametrize("price", ["1e300", "1e20"])
def test_prices_with_an_absurd_override_are_one_line_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, price: str, capsys: Any
) -> None:
    prices = {"my.model": {"input": "PRICE", "output": 1}}
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps(prices).replace('"PRICE"', price))
    assert main(["prices"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "my.model" in captured.err and captured.err.count("\n") == 1
    assert "my.model" in captured.out  # shown, as the payload will use it
    assert main(["prices", "my.model"]) == 0
    captured = capsys.readouterr()
    assert "my.model" in captured.out and "Traceback" not in captured.err


def test_prices_check_reads_a_catalog_with_a_byte_order_mark(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    bundled = (REPO / "lambda" / "genai_observability" / "prices.json").read_bytes()
    for name, data in {
        "bom": codecs.BOM_UTF8 + bundled,
        "utf16": bundled.decode("utf-8").encode("utf-16"),
    }.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        monkeypatch.setenv("GENAI_PRICE_CATALOG", str(path))
        code = main(["prices", "--check", "--no-fetch", "--max-age", "100000"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "Traceback" not in captured.err


# --- every network error names the service that failed --------------------------------------


@pytest.fixture
def unreachable(offline: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    offline.setenv("AWS_ENDPOINT_URL", UNREACHABLE)
    offline.setenv("AWS_DEFAULT_REGION", "us-east-1")
    offline.setenv("AWS_MAX_ATTEMPTS", "1")
    offline.setenv("AWS_RETRY_MODE", "standard")
    return offline


@pytest.mark.parametrize(
    ("argv", "service"),
    [
        (["ask", "daily-cost", "--deck", "prod"], "CloudWatch Logs"),
        (["questions", "--deck", "prod"], "CloudWatch Logs"),
        (["spend", "--deck", "prod"], "CloudWatch Logs"),
        (["spend", "--compare", "--deck", "prod"], "CloudWatch Logs"),
        (["spend", "--source", "metrics", "--service", "chat"], "CloudWatch"),
        (["spend", "--source", "account"], "CloudWatch"),
        (["reconcile", "--day", "2025-06-13", "--deck", "prod"], "CloudWatch Logs"),
        (["budget", "status", "--deck", "prod"], "AWS Lambda"),
        (["budget", "resume", "--deck", "prod"], "AWS Lambda"),
        (["prices", "refresh"], "the AWS Price List Query API"),
        (["prices", "--check", "--max-age", "100000"], "the AWS Price List Query API"),
    ],
    ids=lambda v: " ".join(v[:3]) if isinstance(v, list) else v,
)
def test_network_errors_name_the_service_that_failed(
    unreachable: pytest.MonkeyPatch,
    fake_time: FakeTime,
    tmp_path: Path,
    argv: list[str],
    service: str,
    capsys: Any,
) -> None:
    unreachable.chdir(tmp_path)  # prices refresh writes nothing, but not in the repo either
    assert main(argv) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert f"cannot reach {service}: " in err and UNREACHABLE in err


def test_reconcile_names_cost_explorer_when_only_it_is_unreachable(
    unreachable: pytest.MonkeyPatch, fake_time: FakeTime, capsys: Any
) -> None:
    logs = boto3.client("logs", region_name="us-east-1", endpoint_url="https://logs.test")
    unreachable.setattr(_insights, "make_client", lambda region=None, profile=None: logs)
    day = 1749772800  # 2025-06-13T00:00:00Z, the day before support.cli.NOW
    name = "prod/cost-by-model"
    with Stubber(logs) as stub:
        add_definitions(stub, name, definition(name))
        add_start(stub, start=day, end=day + 86400)
        add_results(stub, "Complete", [])
        assert main(["reconcile", "--day", "2025-06-13", "--deck", "prod"]) == 1
    note, error = capsys.readouterr().err.split("\n", 1)
    assert note == "genai-obs: no results: the query returned no rows"  # no call that day
    _one_line_error(error)
    assert "cannot reach Cost Explorer: " in error


def test_budget_names_cloudwatch_when_only_it_is_unreachable(
    unreachable: pytest.MonkeyPatch, capsys: Any
) -> None:
    real = _aws.make_client
    lam = boto3.client("lambda", region_name="us-east-1", endpoint_url="https://lambda.test")
    make = {"lambda": lambda: lam}
    unreachable.setattr(
        _aws,
        "make_client",
        lambda service, region=None, profile=None: make.get(service, lambda: real(service))(),
    )
    with Stubber(lam) as stub:
        stub.add_response(
            "get_function_configuration",
            {
                "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:prod-budget",
                "Environment": {"Variables": {"GENAI_BUDGET_SERVICES": "chat"}},
            },
            {"FunctionName": "prod-budget"},
        )
        assert main(["budget", "status", "--deck", "prod"]) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "cannot reach CloudWatch: " in err


# --- reconcile --day takes the words --since takes ------------------------------------------


@pytest.mark.parametrize(
    ("word", "day"),
    [("yesterday", "2025-06-13"), ("Yesterday", "2025-06-13"), ("today", "2025-06-14")],
)
def test_reconcile_day_takes_today_and_yesterday(fake_time: FakeTime, word: str, day: str) -> None:
    from genai_observability.cli import _timerange

    now = _timerange.now()
    assert _reconcile.parse_day(word, now.date()).isoformat() == day


def test_reconcile_day_yesterday_runs(
    unreachable: pytest.MonkeyPatch, fake_time: FakeTime, capsys: Any
) -> None:
    # It gets as far as asking the deck (unreachable here): the day was accepted.
    assert main(["reconcile", "--day", "yesterday", "--deck", "prod"]) == 1
    assert "cannot reach CloudWatch Logs" in capsys.readouterr().err


@pytest.mark.parametrize("word", ["someday", "tomorrow", "2025-13-01"])
def test_reconcile_day_still_refuses_what_is_not_a_day(
    fake_time: FakeTime, word: str, capsys: Any
) -> None:
    assert main(["reconcile", "--day", word, "--log-group", "g"]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "yesterday" in err and "YYYY-MM-DD" in err


# --- reconcile: deck figures no day of calls can have ---------------------------------------


@pytest.mark.parametrize(
    ("cost", "calls"),
    [("1e300", "5"), ("1e25", "5"), ("NaN", "5"), ("Infinity", "1"), ("-3", "1"), ("0.5", "nan")],
)
def test_reconcile_sets_apart_deck_figures_no_day_can_have(cost: str, calls: str) -> None:
    from genai_observability import pricing

    nova = "amazon.nova-micro-v1:0"
    deck = [
        {"model": nova, "total_cost_usd": "0.25", "calls": "2"},
        {"model": f"us.{nova}", "total_cost_usd": cost, "calls": calls},
    ]
    bill = [("Amazon Bedrock", "USE1-NovaMicro-input-tokens", Decimal("0.5"))]
    rows, unmatched = _reconcile.reconcile(deck, bill, list(pricing.catalog()))
    (row,) = rows
    assert (row["deck_usd"], row["calls"], row["bill_usd"]) == (0.25, 2, 0.5)
    (odd,) = unmatched
    assert odd["side"] == "deck" and odd["what"] == f"us.{nova}" and odd["usd"] is None
    assert "not a cost" in odd["why"]
    for fmt in _format.FORMATS:
        _format.render(fmt, list(_reconcile.UNMATCHED_COLUMNS), unmatched, missing="-")


def test_reconcile_rounds_huge_bill_amounts_without_crashing() -> None:
    from genai_observability import pricing

    bill = [("Amazon Bedrock", "USE1-NovaMicro-input-tokens", Decimal("1e300"))]
    deck = [{"model": "amazon.nova-micro-v1:0", "total_cost_usd": "1", "calls": "1"}]
    rows, _ = _reconcile.reconcile(deck, bill, list(pricing.catalog()))
    assert rows[0]["bill_usd"] == 1e300 and rows[0]["difference_pct"] == -100.0
