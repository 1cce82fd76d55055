terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # >= 5.83: the first release with aws_cloudwatch_log_index_policy (the deck's floor); tests run 5.100.
      # < 7.0: tests/repo/test_provider_compat.py checks every .tf against what 6.x removes or deprecates.
      version = ">= 5.83, < 7.0"
    }
  }
}
