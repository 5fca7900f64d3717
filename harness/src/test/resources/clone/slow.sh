#!/bin/sh
# A clone command that makes the copy, then takes its time before printing the URL.
sh "$(dirname "$0")/../../../../../fixtures/clone/clone-create.sh" "$@" >/dev/null
echo "making the clone" >&2
sleep 600
