#!/usr/bin/env bash
# Bring up a private Docker engine for opsdeck's tests, or reuse one that answers.
#
# Run:    bash .ci/docker-engine.sh up|down|env|status
#         `up` and `env` print `export DOCKER_HOST=...` (and the TLS lines below)
#         on stdout (all progress goes to stderr), so
#         `eval "$(bash .ci/docker-engine.sh up)"` works.
# Source: . .ci/docker-engine.sh; opsdeck_engine_up; ...; opsdeck_engine_down
#         `opsdeck_engine_up` exports DOCKER_HOST (and the TLS variables) and sets
#         OPSDECK_ENGINE_STARTED=1 only when it started the daemon itself, so a
#         caller's trap can stop exactly what it started and nothing else.
#
# The engine gets its own data-root, exec-root, pidfile and socket under
# $OPSDECK_ENGINE_STATE (default /var/tmp/opsdeck-ci) so it never collides with a
# system dockerd, and its image store survives `down` (a restart skips the import).
#
# Networking: $OPSDECK_ENGINE_STATE/network holds "bridge" when the default bridge
# works, or "none" when the daemon had to fall back to --bridge=none (then tests
# must create containers with `--network none` / HostConfig.network_mode "none").
#
# TLS: the engine this script starts also listens on
# tcp://127.0.0.1:$OPSDECK_ENGINE_TLS_PORT with --tlsverify, its CA, server and
# client certificates made once with openssl in $OPSDECK_ENGINE_STATE/tls
# (docs.docker.com/engine/security/protect-access). When that listener answers,
# OPSDECK_TEST_TLS_HOST (its address) and OPSDECK_TEST_TLS_CERTS (a directory
# with the client's ca.pem, cert.pem and key.pem) are exported beside DOCKER_HOST.

OPSDECK_ENGINE_STATE="${OPSDECK_ENGINE_STATE:-/var/tmp/opsdeck-ci}"
OPSDECK_ENGINE_SOCK="$OPSDECK_ENGINE_STATE/docker.sock"
OPSDECK_ENGINE_PIDFILE="$OPSDECK_ENGINE_STATE/dockerd.pid"
OPSDECK_ENGINE_LOG="$OPSDECK_ENGINE_STATE/dockerd.log"
OPSDECK_ENGINE_IMAGE="${OPSDECK_ENGINE_IMAGE:-opsdeck-busybox:latest}"
# OPSDECK_ENGINE_BRIDGE=0 skips the default bridge from the start (for machines
# where it is known not to work, and to exercise that path).
OPSDECK_ENGINE_BRIDGE="${OPSDECK_ENGINE_BRIDGE:-1}"
# Seconds to wait for the daemon's API; the first start on vfs/overlay is ~2 s here,
# a slow CI disk may need far more.
OPSDECK_ENGINE_TIMEOUT="${OPSDECK_ENGINE_TIMEOUT:-90}"
OPSDECK_ENGINE_STARTED="${OPSDECK_ENGINE_STARTED:-0}"
OPSDECK_ENGINE_TLS_PORT="${OPSDECK_ENGINE_TLS_PORT:-23760}"
OPSDECK_ENGINE_TLS="$OPSDECK_ENGINE_STATE/tls"

_opsdeck_log() { printf '[docker-engine] %s\n' "$*" >&2; }

# True when an engine answers at the given DOCKER_HOST value.
_opsdeck_answers() {
  DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' \
    >/dev/null 2>&1
}

# Picks an engine that already answers: $DOCKER_HOST, then ours, then the
# system default socket. Prints its DOCKER_HOST value.
_opsdeck_find_running() {
  local candidate
  for candidate in "${DOCKER_HOST:-}" "unix://$OPSDECK_ENGINE_SOCK" \
    "unix:///var/run/docker.sock"; do
    [[ -n "$candidate" ]] || continue
    if _opsdeck_answers "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

_opsdeck_pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

_opsdeck_install_packages() {
  local wanted=()
  command -v dockerd >/dev/null 2>&1 || wanted+=(docker.io)
  command -v docker >/dev/null 2>&1 || wanted+=(docker.io)
  # The image needs a static busybox: the rootfs has no libc.
  _opsdeck_pkg_installed busybox-static || wanted+=(busybox-static)
  command -v tmux >/dev/null 2>&1 || wanted+=(tmux)
  command -v openssl >/dev/null 2>&1 || wanted+=(openssl)
  [[ ${#wanted[@]} -gt 0 ]] || return 0

  _opsdeck_log "installing: ${wanted[*]}"
  # Without an init system the postinst scripts would try to start a second,
  # system-wide dockerd on /var/run/docker.sock; policy-rc.d forbids that.
  local own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${wanted[@]}" >&2; } || rc=$?
  [[ $own_policy -eq 0 ]] || rm -f /usr/sbin/policy-rc.d
  if [[ $rc -ne 0 ]]; then
    _opsdeck_log "apt-get failed (exit $rc)"
    return "$rc"
  fi
}

# True when the pidfile names a live dockerd that this script started (its
# command line carries our pidfile), so `down` can never stop a foreign daemon.
_opsdeck_our_pid() {
  local pid
  [[ -r "$OPSDECK_ENGINE_PIDFILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$OPSDECK_ENGINE_PIDFILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--pidfile $OPSDECK_ENGINE_PIDFILE" ||
    return 1
  printf '%s\n' "$pid"
}

# Makes, once, a CA and the engine's and a client's certificates signed by it.
# The server's names 127.0.0.1 and localhost (subjectAltName: clients check
# it); the client's is for client authentication. The client directory holds
# what a client needs, under the names the docker CLI looks for.
_opsdeck_make_tls() {
  local dir="$OPSDECK_ENGINE_TLS"
  [[ -s "$dir/client/key.pem" && -s "$dir/server-cert.pem" ]] && return 0
  command -v openssl >/dev/null 2>&1 || {
    _opsdeck_log "openssl is not installed; cannot make the TLS certificates"
    return 1
  }
  local work
  work="$(mktemp -d)"
  mkdir -p "$dir/client"
  printf 'basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature,keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n' \
    >"$work/server.ext"
  printf 'basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\n' \
    >"$work/client.ext"
  if openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=opsdeck test CA' \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" 2>"$work/log" &&
    openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' \
      -keyout "$dir/server-key.pem" -out "$work/server.csr" 2>>"$work/log" &&
    openssl x509 -req -days 3650 -in "$work/server.csr" -CA "$dir/ca.pem" \
      -CAkey "$dir/ca-key.pem" -CAcreateserial -CAserial "$work/ca.srl" \
      -extfile "$work/server.ext" -out "$dir/server-cert.pem" 2>>"$work/log" &&
    openssl req -newkey rsa:2048 -nodes -subj '/CN=opsdeck test client' \
      -keyout "$dir/client/key.pem" -out "$work/client.csr" 2>>"$work/log" &&
    openssl x509 -req -days 3650 -in "$work/client.csr" -CA "$dir/ca.pem" \
      -CAkey "$dir/ca-key.pem" -CAserial "$work/ca.srl" \
      -extfile "$work/client.ext" -out "$dir/client/cert.pem" 2>>"$work/log"; then
    cp "$dir/ca.pem" "$dir/client/ca.pem"
    chmod 600 "$dir/ca-key.pem" "$dir/server-key.pem" "$dir/client/key.pem"
    rm -rf "$work"
    _opsdeck_log "made TLS certificates in $dir"
  else
    _opsdeck_log "openssl failed:"
    cat "$work/log" >&2
    rm -rf "$work" "$dir/client/key.pem"
    return 1
  fi
}

# dockerd's extra listener, with TLS required of every client.
_opsdeck_tls_flags() {
  printf '%s\n' --host "tcp://127.0.0.1:$OPSDECK_ENGINE_TLS_PORT" --tlsverify \
    --tlscacert "$OPSDECK_ENGINE_TLS/ca.pem" \
    --tlscert "$OPSDECK_ENGINE_TLS/server-cert.pem" \
    --tlskey "$OPSDECK_ENGINE_TLS/server-key.pem"
}

# True when the TLS listener answers with the client's certificates.
_opsdeck_tls_answers() {
  local certs="$OPSDECK_ENGINE_TLS/client"
  [[ -r "$certs/key.pem" ]] || return 1
  env -u DOCKER_CONTEXT DOCKER_HOST="tcp://127.0.0.1:$OPSDECK_ENGINE_TLS_PORT" \
    DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" \
    timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Exports the TLS test variables when the listener answers.
_opsdeck_tls_export() {
  if _opsdeck_tls_answers; then
    export OPSDECK_TEST_TLS_HOST="tcp://127.0.0.1:$OPSDECK_ENGINE_TLS_PORT"
    export OPSDECK_TEST_TLS_CERTS="$OPSDECK_ENGINE_TLS/client"
  else
    unset OPSDECK_TEST_TLS_HOST OPSDECK_TEST_TLS_CERTS
    _opsdeck_log "no TLS listener answers at tcp://127.0.0.1:$OPSDECK_ENGINE_TLS_PORT" \
      "(an engine started before it was added, or not by this script: down, then up)"
  fi
}

# The `export` lines for the engine at $1.
_opsdeck_print_exports() {
  printf 'export DOCKER_HOST=%q\n' "$1"
  if [[ -n "${OPSDECK_TEST_TLS_HOST:-}" ]]; then
    printf 'export OPSDECK_TEST_TLS_HOST=%q\n' "$OPSDECK_TEST_TLS_HOST"
    printf 'export OPSDECK_TEST_TLS_CERTS=%q\n' "$OPSDECK_TEST_TLS_CERTS"
  fi
}

# Starts dockerd with the given extra flags; returns non-zero if its API does
# not answer within the timeout or the process dies first.
_opsdeck_start_dockerd() {
  local started pid waited=0
  mkdir -p "$OPSDECK_ENGINE_STATE/docker" "$OPSDECK_ENGINE_STATE/exec"
  rm -f "$OPSDECK_ENGINE_SOCK" "$OPSDECK_ENGINE_PIDFILE"
  _opsdeck_log "starting dockerd $*"
  printf '\n=== %s dockerd %s\n' "$(date -u +%FT%TZ)" "$*" >>"$OPSDECK_ENGINE_LOG"
  # setsid: the daemon must outlive `bash docker-engine.sh up` and not receive
  # signals aimed at the caller's process group (Ctrl-C in a test run).
  # -w keeps $! alive exactly as long as dockerd, whether or not setsid forks.
  setsid -w dockerd \
    --host "unix://$OPSDECK_ENGINE_SOCK" \
    --data-root "$OPSDECK_ENGINE_STATE/docker" \
    --exec-root "$OPSDECK_ENGINE_STATE/exec" \
    --pidfile "$OPSDECK_ENGINE_PIDFILE" \
    --shutdown-timeout 3 \
    "$@" </dev/null >>"$OPSDECK_ENGINE_LOG" 2>&1 &
  started=$!
  while ((waited < OPSDECK_ENGINE_TIMEOUT * 2)); do
    if _opsdeck_answers "unix://$OPSDECK_ENGINE_SOCK"; then
      return 0
    fi
    if ! kill -0 "$started" 2>/dev/null; then
      _opsdeck_log "dockerd exited during start-up; log tail:"
      tail -n 25 "$OPSDECK_ENGINE_LOG" >&2
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  _opsdeck_log "dockerd did not answer within ${OPSDECK_ENGINE_TIMEOUT}s; log tail:"
  tail -n 25 "$OPSDECK_ENGINE_LOG" >&2
  pid="$(_opsdeck_our_pid)" || pid="$started"
  _opsdeck_stop_pid "$pid"
  return 1
}

_opsdeck_stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  # dockerd stops its containers (--shutdown-timeout 3 s each, in parallel: test
  # containers need no grace) and its own containerd before exiting.
  for ((i = 0; i < 80; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  _opsdeck_log "dockerd $pid ignored SIGTERM for 40s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  # A killed dockerd leaves its containerd behind; it is ours if its command
  # line points into our exec-root.
  local other
  for other in $(pgrep -f -- "$OPSDECK_ENGINE_STATE/exec" || true); do
    kill -KILL "$other" 2>/dev/null || true
  done
}

# Imports a minimal busybox image: no image registry is reachable, so the test
# image is built from the distribution's static busybox.
_opsdeck_build_image() {
  if DOCKER_HOST="$1" docker image inspect "$OPSDECK_ENGINE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  local busybox rootfs applet
  busybox="$(command -v busybox || true)"
  [[ -x /bin/busybox ]] && busybox=/bin/busybox
  if [[ -z "$busybox" ]] || ! _opsdeck_pkg_installed busybox-static; then
    _opsdeck_log "busybox-static is not installed; cannot build $OPSDECK_ENGINE_IMAGE"
    return 1
  fi
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" \
    "$rootfs/dev"
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in sh echo sleep cat yes seq head true false kill date printf \
    env ls tail wc grep; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  local rc=0
  tar -C "$rootfs" -c . |
    DOCKER_HOST="$1" docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' \
      - "$OPSDECK_ENGINE_IMAGE" >/dev/null || rc=$?
  rm -rf "$rootfs"
  if [[ $rc -ne 0 ]]; then
    _opsdeck_log "docker import of $OPSDECK_ENGINE_IMAGE failed (exit $rc)"
    return "$rc"
  fi
  _opsdeck_log "built $OPSDECK_ENGINE_IMAGE"
}

# Checks that a container can actually run, on the given network.
_opsdeck_smoke() {
  local out
  out="$(DOCKER_HOST="$1" timeout 60 docker run --rm --network "$2" \
    "$OPSDECK_ENGINE_IMAGE" sh -c 'echo hi' 2>&1)" || {
    _opsdeck_log "container on network '$2' failed: $out"
    return 1
  }
  [[ "$out" == "hi" ]]
}

opsdeck_engine_up() {
  local host
  if host="$(_opsdeck_find_running)"; then
    _opsdeck_log "reusing the engine at $host"
  else
    if [[ -n "${DOCKER_HOST:-}" && "$DOCKER_HOST" != "unix://$OPSDECK_ENGINE_SOCK" ]]; then
      _opsdeck_log "DOCKER_HOST=$DOCKER_HOST does not answer; starting our own engine"
    fi
    _opsdeck_install_packages || return 1
    local stale
    if stale="$(_opsdeck_our_pid)"; then
      # Alive but not answering: a wedged earlier start. Replace it.
      _opsdeck_stop_pid "$stale"
    fi
    mkdir -p "$OPSDECK_ENGINE_STATE"
    _opsdeck_make_tls || return 1
    local tls_flags
    mapfile -t tls_flags < <(_opsdeck_tls_flags)
    host="unix://$OPSDECK_ENGINE_SOCK"
    # The storage driver is chosen by dockerd itself (overlay2 where the kernel
    # and backing filesystem allow it, else vfs). The default bridge needs
    # iptables and a bridge device; where either is missing the fallback start
    # runs without them and containers must use --network none.
    if [[ "$OPSDECK_ENGINE_BRIDGE" != 0 ]] && _opsdeck_start_dockerd "${tls_flags[@]}" &&
      _opsdeck_build_image "$host" &&
      _opsdeck_smoke "$host" bridge; then
      echo bridge >"$OPSDECK_ENGINE_STATE/network"
    else
      local pid
      if pid="$(_opsdeck_our_pid)"; then _opsdeck_stop_pid "$pid"; fi
      _opsdeck_log "starting without the default bridge: --bridge=none --iptables=false --ip6tables=false"
      _opsdeck_start_dockerd "${tls_flags[@]}" --bridge=none --iptables=false \
        --ip6tables=false ||
        return 1
      echo none >"$OPSDECK_ENGINE_STATE/network"
    fi
    OPSDECK_ENGINE_STARTED=1
  fi
  export DOCKER_HOST="$host"
  _opsdeck_build_image "$host" || return 1
  _opsdeck_smoke "$host" none || return 1
  _opsdeck_tls_export
  _opsdeck_log "engine ready: DOCKER_HOST=$host"
}

opsdeck_engine_down() {
  local pid
  if pid="$(_opsdeck_our_pid)"; then
    _opsdeck_log "stopping dockerd $pid"
    _opsdeck_stop_pid "$pid"
  else
    _opsdeck_log "no dockerd started by this script is running"
  fi
  OPSDECK_ENGINE_STARTED=0
}

opsdeck_engine_env() {
  local host
  host="$(_opsdeck_find_running)" || {
    _opsdeck_log "no engine answers; run: bash .ci/docker-engine.sh up"
    return 1
  }
  _opsdeck_tls_export
  _opsdeck_print_exports "$host"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
  up)
    opsdeck_engine_up
    _opsdeck_print_exports "$DOCKER_HOST"
    ;;
  down) opsdeck_engine_down ;;
  env) opsdeck_engine_env ;;
  *)
    echo "usage: bash $0 up|down|env" >&2
    exit 2
    ;;
  esac
fi
