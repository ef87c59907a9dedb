# shellcheck shell=bash
# aws_call ARGS...: runs `aws ARGS...`, or with DRY_RUN=true prints the exact call (shell-quoted) and calls nothing.
# Sourced by the emr-bootstrap scripts.
aws_call() {
  if ${DRY_RUN:-false}; then
    printf '%q ' aws "$@"
    printf '\n'
  else
    aws "$@"
  fi
}
