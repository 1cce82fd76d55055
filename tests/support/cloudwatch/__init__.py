"""Offline models of the CloudWatch features the deck is made of, each strict: what it does
not model it refuses, it never guesses. Their own tests are in ``tests/`` beside them.

* ``metric_filter``: Logs JSON filter patterns, metric values and dimensions of a line;
* ``metric_math``: GetMetricData metric statistics and the metric-math subset;
* ``alarm_eval``: alarm evaluation (periods, M out of N, missing data), over metric_math;
* ``insights_eval``: the Logs Insights query language subset of the saved questions.
"""
