"""How many generated inputs the fuzz tests send, and whether each run explores new ones.

`make test` sends a small fixed set to each form: derandomized, so the same inputs every run
and a failure repeats. `make fuzz` explores: OIH_FUZZ=explore, a fresh seed each run (the
Makefile prints it, and `make fuzz FUZZ_SEED=n` runs that one again) and 1,000 inputs per
form. OIH_FUZZ_EXAMPLES sets any other number, in either mode, for every fuzz test.
"""

import os

from hypothesis import HealthCheck, settings

EXPLORING = os.environ.get("OIH_FUZZ") == "explore"
EXAMPLES_PER_FORM = int(os.environ.get("OIH_FUZZ_EXAMPLES", "1000" if EXPLORING else "25"))

FUZZ = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=not EXPLORING,
    # A failure found while exploring is printed with its seed; nothing is kept between runs.
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
