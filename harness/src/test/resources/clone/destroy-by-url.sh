#!/bin/sh
# A destroy command that finds the clone by the URL the create command printed, and keeps what it was given in the
# folder it runs in.
set -eu
printf '%s\n' "$SCHEMA_REHEARSAL_CLONE_URL" > destroyed-url.txt
printf '%s' "$SCHEMA_REHEARSAL_CLONE_OUTPUT" > destroyed-output.txt
psql -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -d postgres \
    -c "DROP DATABASE IF EXISTS \"${SCHEMA_REHEARSAL_CLONE_URL##*/}\" WITH (FORCE)" >&2
