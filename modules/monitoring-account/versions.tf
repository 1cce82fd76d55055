terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.83" # aws_oam_sink, aws_oam_sink_policy; the deck's common floor
    }
  }
}
