"""The `demo-previous` seed: last year's platform, the same university in 2024-2025.

The same people and catalogue as `demo`, one year earlier: `teacher` taught CHIM231-2024,
CHIM232-2024, CHIM233-2024, CHIM235-2024 (whose course of this year, CHIM235-2025, is empty in
`demo`: a restore from here fills it) and CHIM236-2024; cohorts are of version 221, with 231
for the year after. Tokens `admin` and `teacher`.
"""

from __future__ import annotations

from moodle_client.standin.seeds.demo import build_year
from moodle_client.standin.site import Site

PREVIOUS_YEAR = 2024


def build(site: Site) -> None:
    build_year(site, PREVIOUS_YEAR)
