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

# dry_run_args PROGRAM LAST ARGS...: the arguments of a script that takes only --dry-run. --dry-run sets DRY_RUN=true;
# --help prints the script's header comment (lines 2 to LAST) and exits 0; anything else prints it to stderr and
# exits 2. Nothing is called before the arguments are understood.
dry_run_args() {
  local program=$1 last=$2 arg
  shift 2
  DRY_RUN=false
  for arg in "$@"; do
    case "$arg" in
      --dry-run) DRY_RUN=true ;;
      --help|-h) script_usage "$last"; exit 0 ;;
      *) echo "$program: unknown argument '$arg'" >&2; script_usage "$last" >&2; exit 2 ;;
    esac
  done
}

# script_usage LAST: the running script's header comment, lines 2 to LAST, without the comment signs.
script_usage() {
  sed -n "2,${1}p" "$0" | sed 's/^# \{0,1\}//'
}
