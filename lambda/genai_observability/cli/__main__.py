"""Run ``genai-obs`` as ``python -m genai_observability.cli``."""

from __future__ import annotations

from genai_observability.cli import main

raise SystemExit(main())
