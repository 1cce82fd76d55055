#!/usr/bin/env bash
# Environment shared by every entry point (make test, make demo, .ci/run).
# Source it, or run `scripts/env.sh CMD...` to run CMD inside it.
#
# Offline Terraform: when the provider mirror /opt/tf-plugins exists and the user has
# no working CLI configuration of their own, use the repository's terraform.rc.
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -d /opt/tf-plugins ]; then
  if [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -f "${TF_CLI_CONFIG_FILE}" ]; then
    if [ ! -f "${HOME:-/nonexistent}/.terraformrc" ]; then
      export TF_CLI_CONFIG_FILE="${_repo_root}/terraform.rc"
    fi
  fi
fi
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
export BC_SKIP_MAPPING=TRUE
export PYTHONDONTWRITEBYTECODE=1
unset _repo_root

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "$#" -gt 0 ]; then
  exec "$@"
fi
