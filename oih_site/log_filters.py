"""Logging filters that keep patient data out of every log.

No Django import: gunicorn's configuration (oih_site/gunicorn.conf.py) masks its access log
with `loggable_path` too.
"""

import logging
import re

# Paths whose last part is a secret: a resume link and a check-in link, in every language
# (/es/..., with the English words or the Spanish ones of oih_site/urls.py), however the
# slashes or letters were typed. What follows the prefix is cut.
_SECRET_PATH = re.compile(
    r"(/+(?:intake|formulario)/+(?:resume|retomar|(?:check-in|control)/+(?:link|enlace))/+)[^?#]+",
    re.IGNORECASE,
)


def loggable_path(path):
    """The path, with whatever follows a secret-bearing prefix replaced by [token]."""
    return _SECRET_PATH.sub(r"\1[token]", path)


class MaskSecretPaths(logging.Filter):
    """Masks secret-link tokens in a record's message (Django's request log writes "Gone:
    <path>" and "Not Found: <path>"). On the loggers that write paths, so every handler
    and the test's log capture get the masked record."""

    def filter(self, record):
        message = record.getMessage()
        masked = loggable_path(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class DropQueryLog(logging.Filter):
    """Drops Django's SQL debug records, whose parameters are patient answers.

    A filter on the logger holds whatever level an operator later sets.
    """

    def filter(self, record):
        return False


class HideJobArguments(logging.Filter):
    """Keeps a background job's arguments (an email's text and recipients) out of the logs.

    procrastinate writes each job as `task[id](argument=value, ...)` in its messages and
    attaches the job, arguments included, to the record; both are cut to the task and id.
    """

    def filter(self, record):
        job = getattr(record, "job", None)
        if isinstance(job, dict) and "call_string" in job:
            short = f"{job.get('task_name')}[{job.get('id')}]"
            record.msg = str(record.msg).replace(job["call_string"], short)
            record.job = {
                key: value
                for key, value in job.items()
                if key not in {"call_string", "task_kwargs", "task_args"}
            }
        return True
