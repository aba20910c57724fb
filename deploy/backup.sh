#!/usr/bin/env bash
# Back up the Kontum Posts database with pg_dump's custom format (-Fc: compressed, restorable
# table by table with pg_restore). Reads DATABASE_URL (and BACKUP_DIR, BACKUP_KEEP_DAYS) from the
# environment; run it from a systemd timer or cron with the service's EnvironmentFile.
#
#   deploy/backup.sh                  # writes $BACKUP_DIR/kontum_posts-YYYYmmddTHHMMSSZ.dump, prints its path
#   deploy/backup.sh /path/file.dump  # writes exactly there
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must be set (postgres://user:pass@host:5432/name)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; back up the SQLite file instead" >&2; exit 2 ;;
esac

if [ $# -ge 1 ]; then
  target="$1"
  mkdir -p "$(dirname "$target")"
else
  dir="${BACKUP_DIR:-/var/backups/kontum-posts}"
  mkdir -p "$dir"
  target="$dir/kontum_posts-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi

umask 077   # police personnel data: the dump is readable by its owner only
tmp="$target.partial"
trap 'rm -f "$tmp"' EXIT
pg_dump --format=custom --compress=6 --no-owner --no-acl --file="$tmp" --dbname="$DATABASE_URL"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$tmp" >/dev/null
mv "$tmp" "$target"
trap - EXIT

if [ $# -eq 0 ] && [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
  find "$dir" -maxdepth 1 -name 'kontum_posts-*.dump' -mtime +"$BACKUP_KEEP_DAYS" -delete
fi
echo "$target"
