# The one mock of the AWS provider for this module's tests (Terraform >= 1.7:
# mock_provider "aws" { source = "./tests/mocks" }).

mock_resource "aws_lambda_layer_version" {
  defaults = {
    arn       = "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability:3"
    layer_arn = "arn:aws:lambda:us-east-1:123456789012:layer:genai-observability"
    version   = "3"
  }
}
