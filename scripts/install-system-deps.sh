#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the test suite needs. Idempotent: does nothing (not even
# `apt-get update`) when everything is already installed. Needs root (or sudo).
#   swtpm, swtpm-tools, tpm2-tools, libtss2-tcti-swtpm0  real software TPM for the TPM tests
#   libusb-1.0-0                                          lets node-hid load (FIDO2 driver path)
#   chromium                                              renderer end-to-end tests (Playwright)
#   golang-go, golang-golang-x-mod-dev                    interop: Go's sumdb/note and sumdb/tlog verify our checkpoints and proofs
#   age                                                   interop: heirs decrypt dead-man packages with the plain age tool
# `--check` only lists what is missing (exit 1 when something is) and installs nothing.
set -euo pipefail

PACKAGES=(swtpm swtpm-tools tpm2-tools libtss2-tcti-swtpm0 libusb-1.0-0 chromium golang-go golang-golang-x-mod-dev age)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${#PACKAGES[@]})"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "system packages missing: ${missing[*]}"
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
