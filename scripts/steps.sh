# Steps side by side, each timed and its lines named: sourced by setup.sh (bash), not run.
# A step's lines are its output, each led by "[NAME] " unless it already names itself ("[images] ...");
# its last: "[setup] NAME: done in N.N s" or "[setup] NAME: failed (exit N) after N.N s" (bench/bare.ts
# reads them). An interrupt stops every step in flight, whole, and exits 130.

log() { printf '[setup] %s\n' "$*" >&2; }

# Milliseconds; GNU date's %N, else whole seconds (BSD date prints a literal N).
now_ms() {
  local t
  t=$(date +%s%N)
  case "$t" in *N) echo $((${t%N} * 1000)) ;; *) echo $((t / 1000000)) ;; esac
}
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

name_lines() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "["*) printf '%s\n' "$line" ;;
      *) printf '[%s] %s\n' "$1" "$line" ;;
    esac
  done >&2
}

# step NAME COMMAND...: COMMAND with errexit on (a function's failing line stops it, whatever the caller's
# context), its lines named; then how long it took or how it failed. Returns COMMAND's exit code.
step() {
  local name=$1 started rc
  shift
  started=$(now_ms)
  set +e
  (set -e; "$@") </dev/null 2>&1 | name_lines "$name"
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" = 0 ]; then
    log "$name: done in $(secs $(($(now_ms) - started))) s"
  else
    log "$name: failed (exit $rc) after $(secs $(($(now_ms) - started))) s; its lines above say why"
  fi
  return "$rc"
}

# start NAME COMMAND...: the step in the background, in a process group of its own, so an interrupt can
# stop all of it (a non-interactive shell's background jobs ignore SIGINT). Job control is on just for
# that fork: off after it, so no job notices are printed.
job_pids=()
job_names=()
start() {
  set -m
  step "$@" &
  set +m
  job_pids+=("$!")
  job_names+=("$1")
}

# Awaits every step started. One that failed fails the caller with its exit code, once the others ended
# (each failure has said why in its own lines).
await_all() {
  local i rc first=0 failed=()
  for i in "${!job_pids[@]}"; do
    rc=0
    wait "${job_pids[$i]}" || rc=$?
    if [ "$rc" != 0 ]; then
      failed+=("${job_names[$i]}")
      [ "$first" != 0 ] || first=$rc
    fi
  done
  job_pids=()
  job_names=()
  if [ "$first" != 0 ]; then
    log "failed: ${failed[*]}"
    exit "$first"
  fi
}

interrupted() {
  trap - INT TERM
  log "interrupted: stopping ${job_names[*]:-nothing}"
  local p
  for p in ${job_pids[@]+"${job_pids[@]}"}; do kill -TERM -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 130
}
trap interrupted INT TERM
