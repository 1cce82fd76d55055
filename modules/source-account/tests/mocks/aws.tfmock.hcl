# Shared mock values for every test of this module (mock_provider "aws" { source = "./tests/mocks" }).

mock_resource "aws_oam_link" {
  defaults = {
    arn     = "arn:aws:oam:us-east-1:222222222222:link/b1b2c3d4-5678-90ab-cdef-222222222222"
    link_id = "b1b2c3d4-5678-90ab-cdef-222222222222"
    label   = "source-account"
  }
}
