# Period, evaluation periods (N) and datapoints to alarm (M) of every alarm: the defaults
# below, or what alarms.evaluation sets per alarm id. The defaults can reach ALARM at one
# call an hour as well as at 100 calls a minute (tests/emulator/test_alarm_defaults.py
# proves it against the planned alarms): with at most one call per window, "M of N" with
# M > 1 never fires, so every default is 1 of 1. The "Alarms and traffic" table of
# docs/alarms-and-budgets.md says which settings fit steadier traffic.

locals {
  alarm_evaluation_defaults = {
    daily_cost       = { period = 300, evaluation_periods = 1, datapoints_to_alarm = 1 }
    cost_pace        = { period = 3600, evaluation_periods = 1, datapoints_to_alarm = 1 }
    cost_anomaly     = { period = 3600, evaluation_periods = 1, datapoints_to_alarm = 1 }
    llm_error_rate   = { period = 300, evaluation_periods = 1, datapoints_to_alarm = 1 }
    llm_latency_p99  = { period = 300, evaluation_periods = 1, datapoints_to_alarm = 1 }
    unpriced_calls   = { period = 3600, evaluation_periods = 1, datapoints_to_alarm = 1 }
    lambda_errors    = { period = 300, evaluation_periods = 1, datapoints_to_alarm = 1 }
    lambda_throttles = { period = 300, evaluation_periods = 1, datapoints_to_alarm = 1 }
    contributor_cost = { period = 3600, evaluation_periods = 1, datapoints_to_alarm = 1 }
  }

  alarm_evaluation = {
    for id, d in local.alarm_evaluation_defaults : id => {
      period              = coalesce(try(var.alarms.evaluation[id].period, null), d.period)
      evaluation_periods  = coalesce(try(var.alarms.evaluation[id].evaluation_periods, null), d.evaluation_periods)
      datapoints_to_alarm = coalesce(try(var.alarms.evaluation[id].datapoints_to_alarm, null), try(var.alarms.evaluation[id].evaluation_periods, null), d.datapoints_to_alarm)
    }
  }

  # CloudWatch: N x period at most one day, M at most N (PutMetricAlarm; User Guide,
  # "Common features of CloudWatch alarms").
  alarm_evaluation_errors = [
    for id, e in local.alarm_evaluation : id
    if e.period * e.evaluation_periods > 86400 || e.datapoints_to_alarm > e.evaluation_periods
  ]
}
