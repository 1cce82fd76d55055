# The inputs every test file of this module plans with (terraform test loads the tfvars
# files of its test directory); a file's or a run's own variables {} win over these.
name           = "deck"
log_group_name = "/aws/lambda/deck-fn"
