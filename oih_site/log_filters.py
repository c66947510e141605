"""Logging filters that keep patient data out of every log."""

import logging


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
