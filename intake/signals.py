"""What the write path announces, so that what reacts to it (the clinicians' urgent emails)
hangs off it instead of being called from it: the write path imports nothing of the
clinicians' side."""

from django.dispatch import Signal

# Sent inside the storing transaction, once new current screenings are stored (a
# submission, a rescreen batch, a correction, a confirmed patient match), with
# `pairs`: the [(intake, result)] just stored.
screenings_stored = Signal()
