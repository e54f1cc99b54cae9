#!/usr/bin/env bash
# lint-openapi.sh — lints docs/openapi.yaml with Redocly CLI against redocly.yaml,
# then checks that it documents every route of the code and no other
# (scripts/check-openapi-routes.py, from the router's registry: needs
# build/awda, or $AWDA_BIN).
#
# Redocly CLI is a pinned devDependency (package.json / package-lock.json),
# installed beforehand by `npm ci` (scripts/install-deps.sh). This script
# never downloads anything: `npx --no-install` refuses to fetch a missing
# package, and telemetry and update checks are turned off.
# Exits non-zero when the lint reports an error or the routes differ.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x node_modules/.bin/redocly ]]; then
    echo "lint-openapi: node_modules/.bin/redocly is missing; run 'npm ci' (scripts/install-deps.sh) first" >&2
    exit 2
fi

export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export REDOCLY_SUPPRESS_NOTIFICATIONS=true
export NPM_CONFIG_UPDATE_NOTIFIER=false
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false

npx --no-install redocly lint --config redocly.yaml docs/openapi.yaml
exec python3 scripts/check-openapi-routes.py
