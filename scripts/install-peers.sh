#!/usr/bin/env bash
# Installs the real peers the tests start on loopback (Debian packages), only those missing.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v ovs-ofctl >/dev/null || need+=(openvswitch-common)
command -v ovs-vswitchd >/dev/null || need+=(openvswitch-switch)
command -v tshark >/dev/null || need+=(tshark)
command -v influxd >/dev/null || need+=(influxdb)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing test peers: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
