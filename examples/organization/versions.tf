terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.83" # aws_oam_* and aws_cloudwatch_log_index_policy in modules/observability
    }
  }
}
