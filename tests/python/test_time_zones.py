"""The module's committed time zone list is Python's zoneinfo list (scripts/time_zones.py)."""

from __future__ import annotations

import json
import zoneinfo

import time_zones


def test_time_zones_file_matches_zoneinfo() -> None:
    committed = json.loads(time_zones.PATH.read_text(encoding="utf-8"))
    assert committed == time_zones.names(), "regenerate with: python scripts/time_zones.py"


def test_time_zones_file_names_load() -> None:
    for name in json.loads(time_zones.PATH.read_text(encoding="utf-8")):
        zoneinfo.ZoneInfo(name)
