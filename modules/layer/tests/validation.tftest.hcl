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

run "rejects_a_package_that_is_not_a_zip" {
  command = plan

  variables {
    package_path = "tests/fixtures/placeholder.tar.gz"
  }

  expect_failures = [var.package_path]
}

run "rejects_a_bad_name" {
  command = plan

  variables {
    name = "has spaces"
  }

  expect_failures = [var.name]
}

run "rejects_a_long_description" {
  command = plan

  variables {
    description = join("", [for i in range(257) : "x"])
  }

  expect_failures = [var.description]
}

run "rejects_an_unsupported_runtime" {
  command = plan

  variables {
    compatible_runtimes = ["python3.12", "python3.9"]
  }

  expect_failures = [var.compatible_runtimes]
}

run "rejects_no_runtime" {
  command = plan

  variables {
    compatible_runtimes = []
  }

  expect_failures = [var.compatible_runtimes]
}

run "rejects_an_unknown_architecture" {
  command = plan

  variables {
    compatible_architectures = ["riscv64"]
  }

  expect_failures = [var.compatible_architectures]
}

run "rejects_no_architecture" {
  command = plan

  variables {
    compatible_architectures = []
  }

  expect_failures = [var.compatible_architectures]
}
