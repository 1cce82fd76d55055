"""Write modules/observability/time_zones.json: the IANA time zone names the budget accepts.

Terraform has no time zone database, so the module checks budget_time_zone against this
committed list, generated from Python's ``zoneinfo.available_timezones()`` (the names the
budget function's ``zoneinfo.ZoneInfo`` can load). tests/python/test_time_zones.py keeps it
equal to that set; regenerate with ``python scripts/time_zones.py``.
"""

from __future__ import annotations

import json
import zoneinfo
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "modules" / "observability" / "time_zones.json"


LOCAL = {"localtime"}
"""Not IANA names: the machine's own zone, a file some systems add to their tz database."""


def names() -> list[str]:
    """Every IANA time zone name this Python knows, sorted."""
    return sorted(zoneinfo.available_timezones() - LOCAL)


def render() -> str:
    """The file's text: a JSON list, one name a line."""
    return json.dumps(names(), indent=0) + "\n"


def main() -> None:
    PATH.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
