"""``genai-obs budget status`` and ``genai-obs budget resume``: see and lift the brake.

Both read the deck's budget function (``<deck>-budget``, or ``--function NAME``): its
environment says the budget, the time zone of its day, the services and the protected
functions, exactly as the function itself sees them. ``status`` computes today's spend the
way the function does and shows each protected function's reserved concurrency and brake
record; ``resume`` restores what each had before the brake and marks it resumed for the
rest of today, so the function does not brake it again until the next day.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any, TextIO

from genai_observability import ConfigurationError, budget

from .. import _aws, _options
from .._errors import AWSError, UsageError
from .._format import render
from .._options import DECK_ENV, deck_name

FUNCTION_COLUMNS = ("function", "reserved_concurrency", "brake", "since", "before_brake")

__all__ = ["DESCRIPTION", "add_arguments", "cmd_resume", "cmd_status", "run"]

DESCRIPTION = (
    "Today's spend as the deck's budget function counts it, and its brake on the"
    " protected functions (budget_action = stop)."
)


def _add_common(parser: argparse.ArgumentParser) -> None:
    """What both actions take: which budget function, the AWS account, the format."""
    _options.add_deck(
        parser, help=f"deck name; its budget function is NAME-budget (default: ${DECK_ENV})"
    )
    parser.add_argument(
        "--function", metavar="NAME", help="the budget function's name (instead of --deck)"
    )
    _options.add_aws(parser)
    _options.add_format(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``budget status`` and ``budget resume``, each with the common options."""
    actions = parser.add_subparsers(dest="budget_command", metavar="ACTION")
    status = actions.add_parser(
        "status",
        help="spend today, the budget and the brake of each protected function",
        description="Spend today, the budget and the brake of each protected function.",
    )
    _add_common(status)
    status.set_defaults(func=cmd_status)
    resume = actions.add_parser(
        "resume",
        help="lift the brake for the rest of today",
        description=(
            "Restore each protected function's reserved concurrency to what it was before"
            " the brake, and keep the brake off until the next budget day."
        ),
    )
    _add_common(resume)
    resume.set_defaults(func=cmd_resume)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``genai-obs budget`` without an action: say which actions there are."""
    raise UsageError("say what to do: genai-obs budget status | genai-obs budget resume")


def _function_name(args: argparse.Namespace) -> str:
    if args.function:
        return str(args.function)
    deck = deck_name(args)
    if not deck:
        raise UsageError(
            f"say which deck: --deck NAME (or set {DECK_ENV}), or --function NAME of its"
            " budget function"
        )
    return f"{deck}-budget"


def _load(args: argparse.Namespace) -> tuple[Any, str, budget.BudgetSettings, str]:
    """The Lambda client, the budget function, its settings and the ARN prefix."""
    lambda_client = _aws.make_client("lambda", args.region, args.profile)
    name = _function_name(args)
    with _aws.aws_errors("lambda", "GetFunctionConfiguration"):
        config = lambda_client.get_function_configuration(FunctionName=name)
    env = config.get("Environment", {}).get("Variables", {})
    try:
        settings = budget.BudgetSettings.from_env(env)
    except ConfigurationError as exc:
        raise AWSError(f"{name} is not a budget function: {exc}") from None
    arn = str(config.get("FunctionArn", ""))
    prefix = arn.split(":function:", 1)[0] + ":function:"
    return lambda_client, name, settings, prefix


def _today(settings: budget.BudgetSettings) -> tuple[str, str, datetime, datetime]:
    zone, zone_name = budget.load_time_zone(settings.time_zone)
    now = datetime.now(UTC)
    return now.astimezone(zone).date().isoformat(), zone_name, budget.day_start(now, zone), now


def _rows(lambda_client: Any, settings: budget.BudgetSettings, prefix: str) -> list[dict[str, Any]]:
    rows = []
    for name in settings.stop_functions:
        short = name.rsplit(":function:", 1)[-1]
        with _aws.aws_errors("lambda", short):
            arn = budget.function_arn(name, prefix)
            record = budget.read_brake(lambda_client, arn)
            reserved = budget.reserved_concurrency(lambda_client, name)
        before = None
        if record is not None and record.state == "braked":
            before = "unreserved" if record.previous is None else record.previous
        rows.append(
            {
                "function": short,
                "reserved_concurrency": "unreserved" if reserved is None else reserved,
                "brake": "off" if record is None else record.state,
                "since": None if record is None else record.day,
                "before_brake": before,
            }
        )
    return rows


def cmd_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``genai-obs budget status``: spend today, the budget, the brake per function."""
    lambda_client, name, settings, prefix = _load(args)
    day, zone_name, start, now = _today(settings)
    cloudwatch = _aws.make_client("cloudwatch", args.region, args.profile)
    with _aws.aws_errors("cloudwatch", "GetMetricData"):
        spend = budget.spend_today(cloudwatch, settings.namespace, settings.services, start, now)
    total = round(sum(spend.values()), 10)
    rows = _rows(lambda_client, settings, prefix) if settings.stop_functions else []
    summary = {
        "budget_function": name,
        "day": day,
        "time_zone": zone_name,
        "spent_today_usd": total,
        "spend_usd": spend,
        "budget_usd": settings.budget_usd,
        "action": settings.action,
        "over_budget": settings.budget_usd is not None and total > settings.budget_usd,
    }
    if args.format == "json":
        out.write(render("json", FUNCTION_COLUMNS, rows, extra=summary))
        return 0
    if args.format == "table":
        budget_text = "no budget" if settings.budget_usd is None else f"{settings.budget_usd} USD"
        out.write(f"budget function  {name}\n")
        out.write(f"day              {day} ({zone_name}, since {start:%Y-%m-%d %H:%M} UTC)\n")
        out.write(f"spent today      {total} USD of {budget_text}")
        out.write(" (over budget)\n" if summary["over_budget"] else "\n")
        out.write(f"action           {settings.action}\n")
        if not rows:
            out.write("protected functions: none\n")
            return 0
        out.write("\n")
    out.write(render(args.format, FUNCTION_COLUMNS, rows, missing="-"))
    return 0


def cmd_resume(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``genai-obs budget resume``: lift the brake until the next budget day."""
    lambda_client, name, settings, prefix = _load(args)
    if not settings.stop_functions:
        raise UsageError(f"{name} protects no functions (GENAI_BUDGET_STOP_FUNCTIONS is empty)")
    day, zone_name, _, _ = _today(settings)
    for function in settings.stop_functions:
        short = function.rsplit(":function:", 1)[-1]
        with _aws.aws_errors("lambda", short):
            what = budget.resume(
                lambda_client, function, budget.function_arn(function, prefix), day
            )
        if what == "restored":
            out.write(f"{short}: brake lifted; reserved concurrency restored\n")
        else:
            out.write(f"{short}: no brake; kept off for the rest of {day}\n")
    out.write(f"The brake stays off until the next budget day ({zone_name}).\n")
    return 0
