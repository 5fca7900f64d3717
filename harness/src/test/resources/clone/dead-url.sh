#!/bin/sh
# A clone command that makes the copy but prints a URL nothing answers at.
sh "$(dirname "$0")/../../../../../fixtures/clone/clone-create.sh" "$@" >/dev/null
echo "jdbc:postgresql://127.0.0.1:1/$SCHEMA_REHEARSAL_CLONE_NAME"
