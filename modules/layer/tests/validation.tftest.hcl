# Every validation block and precondition rejects a bad value.

mock_provider "aws" { source = "./tests/mocks" }

variables {
  package_path = "tests/fixtures/placeholder.zip"
}

run "a_missing_zip_is_refused_with_how_to_build_it" {
  command = plan

  variables {
    package_path = "dist/not-built-yet.zip"
  }

  expect_failures = [aws_lambda_layer_version.this]
}

run "rejects_a_bad_value_of_each_input" {
  command = plan

  variables {
    package_path             = "tests/fixtures/placeholder.tar.gz"   # a package that is not a zip
    name                     = "has spaces"                          # a bad name
    description              = join("", [for i in range(257) : "x"]) # a long description
    compatible_runtimes      = ["python3.12", "python3.9"]           # an unsupported runtime
    compatible_architectures = ["riscv64"]                           # an unknown architecture
  }

  expect_failures = [
    var.package_path, var.name, var.description, var.compatible_runtimes,
    var.compatible_architectures,
  ]
}

run "rejects_a_second_bad_value" {
  command = plan

  variables {
    compatible_runtimes      = [] # no runtime
    compatible_architectures = [] # no architecture
  }

  expect_failures = [var.compatible_runtimes, var.compatible_architectures]
}
