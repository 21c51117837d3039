# shellcheck shell=bash
# Shared bootstrap for scripts/test and scripts/run. Source it; do not run it.
#
#   source scripts/_venv.sh
#   ensure_venv            # creates .venv and (re)installs '.[test]' when needed
#   apt_install PKG...     # apt-get update + install, as root or via sudo
#
# The callers run with `set -euo pipefail`, so any failure here is fatal.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
# Holds the sha256 of the pyproject.toml that was last installed into .venv.
VENV_STAMP="$VENV/.dispatches-installed"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# apt-get update + install, run directly as root or through sudo; with
# neither, stop and say exactly what to run by hand.
apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || die "apt-get not found; install these packages by hand: $*"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root to install Debian packages: $*
       This is not root and sudo is missing. As root, run:
           apt-get update && apt-get install -y --no-install-recommends $*
       then rerun this command."
        sudo=(sudo)
    fi
    say "installing Debian packages: $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@"
}

ensure_venv() {
    command -v python3 >/dev/null 2>&1 || die "python3 not found (Python 3.11+ is required)"
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "Python 3.11+ is required; python3 is $(python3 -V 2>&1)"

    # A venv whose interpreter no longer runs (interrupted creation, or the
    # Python it was made from is gone) is rebuilt from scratch.
    if [ -d "$VENV" ] && ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
        say "removing broken $VENV"
        rm -rf "$VENV"
    fi

    if [ ! -d "$VENV" ]; then
        # Debian's python3 ships without ensurepip; venv needs python3-venv.
        if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
            apt_install python3-venv
        fi
        say "creating $VENV"
        python3 -m venv "$VENV"
    fi
    # Venvs made without pip (--without-pip, uv) get it from ensurepip.
    if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        "$VENV/bin/python" -m ensurepip --upgrade >/dev/null
    fi

    local want have=""
    want="$(sha256sum "$REPO_ROOT/pyproject.toml" | cut -d' ' -f1)"
    [ -f "$VENV_STAMP" ] && have="$(cat "$VENV_STAMP")"
    if [ "$want" != "$have" ]; then
        say "installing dispatches[test] into .venv (pyproject.toml changed)"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e "$REPO_ROOT[test]"
        printf '%s\n' "$want" >"$VENV_STAMP"
    fi
}
