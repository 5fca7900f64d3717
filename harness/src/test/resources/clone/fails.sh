#!/bin/sh
# A clone command that makes the copy, then fails: the destroy command must still remove it.
sh "$(dirname "$0")/../../../../../fixtures/clone/clone-create.sh" "$@" >/dev/null
echo "dblab: quota exceeded for clone $SCHEMA_REHEARSAL_CLONE_NAME" >&2
exit 3
