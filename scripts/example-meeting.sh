#!/bin/sh
# The meetings `make run` serves: the shipped ones (the KNUB meeting took place in 2021 and shows
# as closed, as it should) and an example meeting four weeks from today (demo/eksempel.json, its
# title and introduction saying it is an example), so a new user has one to register on.
# Usage: scripts/example-meeting.sh DIR
set -eu
out=${1:?usage: scripts/example-meeting.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out/members"
cp "$here"/meetings/*.json "$out/"
cp "$here"/meetings/members/*.json "$out/members/"
date=$(date -d '+28 days' +%Y-%m-%d)
sed "s/\"date\": \"[0-9-]*\"/\"date\": \"$date\"/" "$here/demo/eksempel.json" > "$out/eksempel.json"
cp "$here/demo/eksempel-members.json" "$out/members/eksempel.json"
