"""A paginator for the review queue, which may hold tens of thousands of open screenings."""

import json

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to EXACT_UP_TO rows; above that, PostgreSQL's own estimate.

    An exact count of tens of thousands of open screenings reads them all on every page
    view; a clinician paging through a queue needs its size, not its last digit. A short
    queue (a filter's few urgent items) is counted exactly. Every page asks the same two
    queries, the planner's estimate and a count that stops after EXACT_UP_TO + 1 rows, so
    the worklist's query count is the same whatever the filter and however long the queue.
    """

    EXACT_UP_TO = 1000

    @cached_property
    def count(self):
        estimate = self._planner_estimate()
        counted = self.object_list.order_by().values("pk")[: self.EXACT_UP_TO + 1].count()
        if counted <= self.EXACT_UP_TO:
            return counted
        return max(estimate, counted)

    def _planner_estimate(self):
        sql, params = self.object_list.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
