#!/usr/bin/env bash
# Regenerates the README screenshots from the real program in `--demo`:
# opsdeck runs in a private, detached tmux server at 120x36, is driven with
# send-keys, and each view is captured with its colours and turned into an
# SVG by ansi2svg.py (next to this script).
#
#   screenshots/generate.sh                        # builds, then captures
#   OPSDECK_BIN=path/to/opsdeck screenshots/generate.sh   # skips the build
#
# Needs: tmux, python3 (standard library only), and cargo unless OPSDECK_BIN
# is set. Writes screenshots/*.svg (or into OPSDECK_SHOTS_DIR if set).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
out=${OPSDECK_SHOTS_DIR:-$here}
cols=120
rows=36
# Seconds to wait for a view to show what it should before giving up.
timeout=${OPSDECK_SHOTS_TIMEOUT:-20}

die() {
    echo "generate.sh: $*" >&2
    exit 1
}
say() { echo "generate.sh: $*" >&2; }

command -v tmux >/dev/null 2>&1 ||
    die "tmux is not installed; it runs opsdeck off-screen (e.g. apt-get install tmux)"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed; it converts captures to SVG"

work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-shots.XXXXXX")
# A private tmux server: the user's own sessions and ~/.tmux.conf stay out of it.
sock="opsdeck-shots-$$"
sock_path=""
cleanup() {
    tmux -L "$sock" kill-server >/dev/null 2>&1 || true
    # kill-server leaves the socket file behind.
    [[ -n $sock_path && -S $sock_path ]] && rm -f "$sock_path"
    rm -rf "$work"
}
trap cleanup EXIT
# Signals become plain exits so the EXIT trap runs; PIPE too, since a closed
# reader of our output (`generate.sh | head`) would otherwise kill us
# without cleaning up.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

if [[ -n ${OPSDECK_BIN:-} ]]; then
    [[ -x $OPSDECK_BIN ]] || die "OPSDECK_BIN=$OPSDECK_BIN is not an executable file"
    bin=$OPSDECK_BIN
else
    command -v cargo >/dev/null 2>&1 || die "cargo is not installed; build opsdeck or set OPSDECK_BIN"
    say "building opsdeck (release)"
    (cd "$root" && cargo build --release --quiet) || die "cargo build --release failed"
    target=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
    # A copy, because a shared target dir may be rebuilt by someone else mid-run.
    cp "$target/release/opsdeck" "$work/opsdeck" || die "no binary at $target/release/opsdeck"
    bin=$work/opsdeck
fi

# Same-looking shots on every machine: no user config, theme, key overrides,
# journal or log file of the person running this.
mkdir -p "$work/config" "$work/data" "$work/state" "$work/cache"
: >"$work/config.toml"
cat >"$work/tmux.conf" <<'EOF'
set -g status off
set -g history-limit 0
EOF

tm() { tmux -L "$sock" "$@"; }

# Starts `opsdeck --demo ARGS...` in a fresh session named shots.
start() {
    tm kill-session -t shots >/dev/null 2>&1 || true
    # A launcher file rather than a command line: tmux hands its command to
    # sh, and paths with odd characters then need no second round of quoting.
    {
        echo 'unset NO_COLOR COLORTERM'
        printf 'export TERM=xterm-256color XDG_CONFIG_HOME=%q XDG_DATA_HOME=%q XDG_STATE_HOME=%q XDG_CACHE_HOME=%q\n' \
            "$work/config" "$work/data" "$work/state" "$work/cache"
        printf '%q ' "$bin" --demo --config "$work/config.toml" --log-file "$work/opsdeck.log" "$@"
        # Keeps a crash message on screen for wait_for to show.
        printf '\nsleep 60\n'
    } >"$work/run.sh"
    tm -f "$work/tmux.conf" new-session -d -s shots -x "$cols" -y "$rows" "bash $(printf %q "$work/run.sh")"
    sock_path=$(tm display-message -p '#{socket_path}')
}

screen() { tm capture-pane -p -t shots; }

# Key names as tmux send-keys takes them. Esc goes alone and is followed by a
# pause: crossterm reads ESC followed quickly by a key as Alt-key.
keys() {
    local k
    for k in "$@"; do
        tm send-keys -t shots "$k"
        if [[ $k == Escape ]]; then sleep 0.3; else sleep 0.05; fi
    done
}
type_text() { tm send-keys -t shots -l "$1"; sleep 0.1; }

# Polls the screen until it contains TEXT (grep -E when the 2nd arg is -E).
wait_for() {
    local text=$1 mode=${2:--F} deadline=$((SECONDS + timeout))
    until screen | grep -q "$mode" -- "$text"; do
        if ((SECONDS >= deadline)); then
            say "timed out after ${timeout}s waiting for: $text"
            say "the screen was:"
            screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >&2 ||
                say "(the tmux session is gone)"
            [[ -f $work/opsdeck.log ]] && tail -n 20 "$work/opsdeck.log" >&2
            exit 1
        fi
        sleep 0.2
    done
}

# Like wait_for -E, but only for a better picture: gives up quietly.
wait_maybe() {
    local pattern=$1 deadline=$((SECONDS + $2))
    until screen | grep -qE -- "$pattern"; do
        ((SECONDS < deadline)) || return 0
        sleep 0.25
    done
}

strip_sgr() { sed -e $'s/\x1b\\[[0-9;:]*m//g'; }

# A toast is a 3-row box in the bottom-right corner of the body whose top
# right corner replaces the pane's right border on row (rows - 3).
has_toast() {
    local line
    line=$(strip_sgr <"$1" | sed -n "$((rows - 3))p" | sed -e 's/[[:space:]]*$//')
    [[ $line == *"╮" || $line == *"+" ]]
}

# Captures the current view into NAME.svg; waits (bounded) for a moment with
# no toast over it, since toasts come and go every few seconds in the demo,
# unless the third argument is toast-ok.
shoot() {
    local name=$1 title=$2 cap=$work/$1.ans deadline=$((SECONDS + timeout))
    sleep 0.4 # let the frame after the last key settle
    while :; do
        tm capture-pane -e -p -t shots >"$cap"
        [[ ${3:-} == toast-ok ]] && break
        has_toast "$cap" || break
        if ((SECONDS >= deadline)); then
            say "$name: a toast stayed on screen for ${timeout}s; keeping it"
            break
        fi
        sleep 0.25
    done
    python3 -B "$here/ansi2svg.py" -i "$cap" -o "$out/$name.svg" \
        --cols "$cols" --rows "$rows" --title "$title"
    say "wrote $out/$name.svg"
}

# Shoots a tab from another source only when it shows simulated data; while
# that tab is still a placeholder it is skipped, not failed.
shoot_source_tab() {
    local key=$1 label=$2 name=$3 title=$4 deadline=$((SECONDS + 8))
    keys "$key"
    while :; do
        local s
        s=$(screen)
        if grep -q "$label: ok" <<<"$s" && ! grep -q "is not configured" <<<"$s"; then
            sleep 1.5 # first pages and watches arrive just after connecting
            shoot "$name" "$title"
            return
        fi
        if ((SECONDS >= deadline)); then
            say "skipping $name.svg: the tab has no demo data yet ($(grep -o "$label: [a-z]*" <<<"$s" | head -n 1))"
            rm -f "$out/$name.svg"
            return
        fi
        sleep 0.25
    done
}

mkdir -p "$out"

say "starting opsdeck --demo in tmux at ${cols}x${rows}"
start
wait_for "Docker: ok"
keys 4
wait_for "containers"
wait_for "nightly-backup" # the last row of the demo's list: the list is in

keys 1
wait_for "Overview"
wait_for "SINCE"
# The demo breaks more things within its first half minute (a crash-looping
# worker, an unhealthy API); a triage list of several rows says more.
wait_maybe 'Overview: ([2-9]|[1-9][0-9]+) broken' 30
# The breakage that just arrived comes with its toast, and may be over by
# the time the toast is: this one is taken as it is.
shoot overview "opsdeck: Overview, what is broken right now" toast-ok

# The timeline: what changed before it broke, every source on one list.
keys T
wait_for "Timeline"
wait_for "new ReplicaSet"
shoot timeline "opsdeck: the timeline, what changed across CI, Kubernetes and Docker"
keys T

shoot_source_tab 2 GitHub actions "opsdeck: GitHub Actions runs"
shoot_source_tab 3 Kubernetes kubernetes "opsdeck: Kubernetes pods"

keys 4
wait_for "sort:"
shoot docker "opsdeck: Docker containers grouped by compose project"

# The palette both jumps to a container and shows fuzzy matching.
keys :
wait_for "Go to ("
type_text "worker"
wait_for "container shop-worker-1"
shoot palette "opsdeck: command palette, fuzzy matching commands and containers"
keys Enter
keys l
wait_for "Logs: container shop-worker-1"
wait_for "ERROR"
shoot docker-logs "opsdeck: following the logs of a container"

keys /
type_text "failed"
keys Enter
wait_for '"failed" [0-9]+/[0-9]+' -E
shoot logs-search "opsdeck: searching the logs, matches highlighted"

keys Escape Escape
keys '?'
wait_for "Keys ("
shoot help "opsdeck: the help overlay, generated from the key map"
keys Escape

say "starting opsdeck --demo --ascii"
start --ascii
wait_for "Docker: ok"
keys 4
wait_for "nightly-backup"
shoot docker-ascii "opsdeck --ascii: the Docker pane with plain ASCII borders and symbols"

say "done"
