# The inputs every test file of the root module plans with (terraform test loads the tfvars
# files of its test directory, examples' runs included); a file's or a run's own
# variables {} win over these.
name         = "genai-deck"
package_path = "modules/function/tests/fixtures/placeholder.zip"
