#!/bin/sh
# A clone command that makes the copy but ends its output with something else than the URL.
sh "$(dirname "$0")/../../../../../fixtures/clone/clone-create.sh" "$@"
echo "clone ready"
