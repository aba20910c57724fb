#!/usr/bin/env bash
# Restore a dump written by backup.sh into the database named by DATABASE_URL (which must exist).
# Replaces what is there, in one transaction: either the whole dump is in, or nothing changed.
#
#   DATABASE_URL=postgres://…/kontum_posts_restored deploy/restore.sh /var/backups/kontum-posts/kontum_posts-….dump --yes
#
# Restore into a fresh database, check it (manage.py check; row counts), then point the service at it.
set -euo pipefail

dump="${1:?usage: restore.sh DUMPFILE --yes}"
confirm="${2:-}"
: "${DATABASE_URL:?DATABASE_URL must be set to the database to restore into}"
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
if [ "$confirm" != "--yes" ]; then
  echo "restore.sh: this replaces the contents of the target database; add --yes to go on" >&2
  exit 2
fi

pg_restore --list "$dump" >/dev/null
pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$dump"
echo "restored $dump"
