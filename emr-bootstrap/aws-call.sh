# shellcheck shell=bash
# aws_call ARGS...: runs `aws ARGS... --output json` (unless ARGS name an --output: a user's own output setting, e.g.
# yaml, which CLI v1 cannot print, would fail the call after AWS made it), or with DRY_RUN=true prints that exact call
# (shell-quoted) and calls nothing. Sourced by the emr-bootstrap scripts.
aws_call() {
  local output=(--output json) arg
  for arg in "$@"; do
    [ "$arg" != --output ] || output=()
  done
  if ${DRY_RUN:-false}; then
    printf '%q ' aws "$@" "${output[@]}"
    printf '\n'
  else
    aws "$@" "${output[@]}"
  fi
}

# dry_run_args PROGRAM ARGS...: the arguments of a script that takes only --dry-run. --dry-run sets DRY_RUN=true;
# --help prints the script's header comment and exits 0; anything else prints it to stderr and exits 2. Nothing is
# called before the arguments are understood.
dry_run_args() {
  local program=$1 arg
  shift
  DRY_RUN=false
  for arg in "$@"; do
    case "$arg" in
      --dry-run) DRY_RUN=true ;;
      --help|-h) script_usage; exit 0 ;;
      *) echo "$program: unknown argument '$arg'" >&2; script_usage >&2; exit 2 ;;
    esac
  done
}

# script_usage: the running script's header comment (the comment lines after the first line, up to the first line
# that is not one), without the comment signs.
script_usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# aws_region: sets REGION to the region the AWS CLI would use: AWS_REGION, else AWS_DEFAULT_REGION, else the
# profile's (`aws configure get region`; not asked in a dry run), else us-east-1.
aws_region() {
  aws_region_offline
  if [ -z "${AWS_REGION:-}${AWS_DEFAULT_REGION:-}" ] && ! ${DRY_RUN:-false}; then
    REGION=$(aws configure get region 2> /dev/null || true)
    REGION=${REGION:-us-east-1}
  fi
}

# aws_region_offline: aws_region without asking the CLI for the profile's region.
aws_region_offline() {
  REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
}
