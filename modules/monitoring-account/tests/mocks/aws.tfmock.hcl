# Shared mock values for every test of this module (mock_provider "aws" { source = "./tests/mocks" }).

mock_data "aws_partition" {
  defaults = {
    partition = "aws"
  }
}

mock_resource "aws_oam_sink" {
  defaults = {
    arn     = "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111"
    sink_id = "a1b2c3d4-5678-90ab-cdef-111111111111"
  }
}
