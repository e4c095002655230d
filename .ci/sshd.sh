#!/usr/bin/env bash
# A private sshd on loopback for opsdeck's ssh:// engine tests: a user whose
# `docker` reaches the test engine, keys generated here, nothing else exposed.
#
# Run:    bash .ci/sshd.sh up|down|env        (as root: it adds a user and runs sshd)
#         `up` and `env` print `export ...` lines on stdout (progress goes to
#         stderr), so `eval "$(bash .ci/sshd.sh up)"` works. Needs DOCKER_HOST
#         set to the engine the ssh user should reach (bash .ci/docker-engine.sh up).
# Source: . .ci/sshd.sh; opsdeck_sshd_up; ...; opsdeck_sshd_down
#
# What the tests get:
#   OPSDECK_TEST_SSH_HOST  ssh://opsdeck-ssh@127.0.0.1:PORT, the engine as ssh:// address
#   OPSDECK_SSH_CONFIG     an ssh_config naming the generated key and known_hosts;
#                          opsdeck passes it to ssh as -F (the user's own
#                          ~/.ssh/config is left alone)
#
# How the user's `docker` reaches the engine: sshd's `SetEnv DOCKER_HOST=...`
# gives every session of this sshd the caller's DOCKER_HOST, and the user is in
# the socket's group, so `docker system dial-stdio` (what opsdeck runs over
# ssh, as the docker CLI does) dials the same engine the other tests use.
# Everything lives in $OPSDECK_SSHD_STATE; the sshd listens on 127.0.0.1 only,
# with keys only (no passwords), for that one user.

OPSDECK_SSHD_STATE="${OPSDECK_SSHD_STATE:-/var/tmp/opsdeck-sshd}"
OPSDECK_SSHD_PORT="${OPSDECK_SSHD_PORT:-2222}"
OPSDECK_SSHD_USER="${OPSDECK_SSHD_USER:-opsdeck-ssh}"
OPSDECK_SSHD_STARTED="${OPSDECK_SSHD_STARTED:-0}"

_opsdeck_sshd_log() { printf '[sshd] %s\n' "$*" >&2; }

_opsdeck_sshd_install() {
  [[ -x /usr/sbin/sshd ]] && command -v ssh >/dev/null 2>&1 &&
    command -v ssh-keygen >/dev/null 2>&1 && return 0
  _opsdeck_sshd_log "installing openssh-server openssh-client"
  # Without an init system the postinst would try to start the system sshd on
  # port 22; policy-rc.d forbids that (as docker-engine.sh does for dockerd).
  local own_policy=0 rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      openssh-server openssh-client >&2; } || rc=$?
  [[ $own_policy -eq 0 ]] || rm -f /usr/sbin/policy-rc.d
  return "$rc"
}

# The pid of the sshd this script started (its command line names our config).
_opsdeck_sshd_pid() {
  local pid
  [[ -r "$OPSDECK_SSHD_STATE/sshd.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"$OPSDECK_SSHD_STATE/sshd.pid")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$OPSDECK_SSHD_STATE/sshd_config" || return 1
  printf '%s\n' "$pid"
}

_opsdeck_sshd_exports() {
  printf 'export OPSDECK_TEST_SSH_HOST=%q\n' \
    "ssh://$OPSDECK_SSHD_USER@127.0.0.1:$OPSDECK_SSHD_PORT"
  printf 'export OPSDECK_SSH_CONFIG=%q\n' "$OPSDECK_SSHD_STATE/ssh_config"
}

opsdeck_sshd_up() {
  if [[ -z "${DOCKER_HOST:-}" ]]; then
    _opsdeck_sshd_log "DOCKER_HOST is not set: start the engine first (bash .ci/docker-engine.sh up)"
    return 1
  fi
  _opsdeck_sshd_install || return 1
  local state="$OPSDECK_SSHD_STATE"
  mkdir -p "$state" /run/sshd
  chmod 755 "$state"
  local pid
  if pid="$(_opsdeck_sshd_pid)"; then
    _opsdeck_sshd_log "stopping the earlier sshd $pid"
    kill -TERM "$pid" 2>/dev/null || true
    sleep 0.3
  fi

  # The user: in the engine socket's group, so its docker may open the socket.
  local group=""
  if [[ "$DOCKER_HOST" == unix://* && -S "${DOCKER_HOST#unix://}" ]]; then
    group="$(stat -c %G "${DOCKER_HOST#unix://}")"
  fi
  if ! id "$OPSDECK_SSHD_USER" >/dev/null 2>&1; then
    # `*`, not the locked `!`: sshd without PAM refuses locked accounts even
    # for keys. No password can match `*`.
    useradd --no-create-home --home-dir "$state" --shell /bin/sh -p '*' \
      "$OPSDECK_SSHD_USER" || return 1
  fi
  if [[ -n "$group" && "$group" != root ]]; then
    usermod -a -G "$group" "$OPSDECK_SSHD_USER" || return 1
  elif [[ -n "$group" ]]; then
    _opsdeck_sshd_log "warning: the engine socket's group is root; $OPSDECK_SSHD_USER may not open it"
  fi

  [[ -f "$state/host_key" ]] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-sshd-host -f "$state/host_key"
  [[ -f "$state/client_key" ]] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-tests -f "$state/client_key"
  cp "$state/client_key.pub" "$state/authorized_keys"
  chmod 644 "$state/authorized_keys"
  printf '[127.0.0.1]:%s %s\n' "$OPSDECK_SSHD_PORT" "$(cut -d' ' -f1-2 "$state/host_key.pub")" \
    >"$state/known_hosts"

  cat >"$state/sshd_config" <<EOF
Port $OPSDECK_SSHD_PORT
ListenAddress 127.0.0.1
HostKey $state/host_key
PidFile $state/sshd.pid
AuthorizedKeysFile $state/authorized_keys
AllowUsers $OPSDECK_SSHD_USER
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
# The key files live in a shared temporary directory.
StrictModes no
SetEnv DOCKER_HOST=$DOCKER_HOST
LogLevel VERBOSE
EOF
  cat >"$state/ssh_config" <<EOF
Host *
  IdentityFile $state/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $state/known_hosts
  StrictHostKeyChecking yes
  PasswordAuthentication no
EOF

  /usr/sbin/sshd -t -f "$state/sshd_config" || return 1
  # sshd detaches by itself and writes its pidfile; setsid keeps it out of
  # the caller's process group (Ctrl-C in a test run).
  setsid /usr/sbin/sshd -f "$state/sshd_config" -E "$state/sshd.log" </dev/null || return 1
  local i out=""
  for ((i = 0; i < 40; i++)); do
    if out="$(timeout 20 ssh -F "$state/ssh_config" -p "$OPSDECK_SSHD_PORT" \
      -o BatchMode=yes "$OPSDECK_SSHD_USER@127.0.0.1" \
      docker version --format '{{.Server.Version}}' 2>&1)"; then
      OPSDECK_SSHD_STARTED=1
      _opsdeck_sshd_log "ready: ssh://$OPSDECK_SSHD_USER@127.0.0.1:$OPSDECK_SSHD_PORT reaches engine $out"
      return 0
    fi
    sleep 0.25
  done
  _opsdeck_sshd_log "the ssh user's docker does not reach the engine: $out"
  tail -n 20 "$state/sshd.log" >&2 || true
  return 1
}

opsdeck_sshd_down() {
  local pid
  if pid="$(_opsdeck_sshd_pid)"; then
    _opsdeck_sshd_log "stopping sshd $pid"
    kill -TERM "$pid" 2>/dev/null || true
  else
    _opsdeck_sshd_log "no sshd started by this script is running"
  fi
  OPSDECK_SSHD_STARTED=0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
  up)
    opsdeck_sshd_up
    _opsdeck_sshd_exports
    ;;
  down) opsdeck_sshd_down ;;
  env)
    _opsdeck_sshd_pid >/dev/null || {
      _opsdeck_sshd_log "not running; run: bash .ci/sshd.sh up"
      exit 1
    }
    _opsdeck_sshd_exports
    ;;
  *)
    echo "usage: bash $0 up|down|env" >&2
    exit 2
    ;;
  esac
fi
