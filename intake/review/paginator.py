"""A paginator for the review queue, which may hold tens of thousands of open screenings."""

import json

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to ESTIMATE_ABOVE rows; above that, PostgreSQL's own estimate.

    An exact count of tens of thousands of open screenings reads them all on every page
    view; a clinician paging through a queue needs its size, not its last digit.
    """

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate > self.ESTIMATE_ABOVE:
            return estimate
        return super().count
