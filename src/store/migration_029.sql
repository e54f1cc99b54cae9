-- Migration 29 (retention): when a case was anonymised, a member who had
-- left it before was anonymised too, but kept their protection concerns
-- (sealed), which the members and a person anonymised alone lose. The
-- retention now removes them for both (store/retention.c); this removes
-- what earlier runs left: no anonymised person keeps protection concerns.
UPDATE persons SET protection_vulnerabilities = NULL
WHERE anonymised_at IS NOT NULL AND protection_vulnerabilities IS NOT NULL;
