# The inputs every test file of this module plans with (terraform test loads the tfvars
# files of its test directory); a file's or a run's own variables {} win over these.
name         = "genai-agent"
package_path = "tests/fixtures/placeholder.zip"
model_ids    = ["amazon.nova-micro-v1:0"]
