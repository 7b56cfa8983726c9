#!/usr/bin/env bash
# The client library installs with a CMake package config that another
# project can find_package, build against and run.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/fig_webhook_relay/client.h"
test -f "$work/prefix/include/fig/webhooks/v1/admin.grpc.pb.h"
test -f "$work/prefix/share/fig-webhook-relay/protos/fig/webhooks/v1/admin.proto"
cmake -S "$source/tests/e2e/install_consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DEXAMPLE_SOURCE="$work/prefix/share/fig-webhook-relay/examples/publish_example.cc" >/dev/null
cmake --build "$work/consumer" >/dev/null
# Nothing listens on port 1: the example must report the relay's status.
if out=$("$work/consumer/publish_example" 127.0.0.1:1 2>&1); then
  echo "expected a failure, got: $out"; exit 1
fi
case "$out" in
  *"publish failed: UNAVAILABLE"*) echo "installed client builds and runs: $out" ;;
  *) echo "unexpected output: $out"; exit 1 ;;
esac
