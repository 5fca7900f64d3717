#!/bin/sh
# A clone command that says what it does on its standard output before the URL, as thin-clone CLIs do.
echo "clone $SCHEMA_REHEARSAL_CLONE_NAME requested"
sh "$(dirname "$0")/../../../../../fixtures/clone/clone-create.sh" "$@"
