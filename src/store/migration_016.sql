-- Migration 16: movements — the journey itself. A movement (a charter, a
-- scheduled flight, a land or sea journey) carries passengers (persons of
-- cases that are ready) over legs in order, from a sending office to a
-- receiving office. Its store is src/store/movements.c (movements, legs,
-- passengers, reception) and src/store/movement_care.c (escorts, airport
-- assistance, onward transport, travel allowances).
--
-- Times: a leg's departure and arrival are kept as the local time the
-- ticket shows ("2026-12-20T06:30") with its IANA time zone, and as epoch
-- milliseconds (UTC) computed from both, for ordering and the checks.
-- Money is integers in minor units with an ISO 4217 currency.
CREATE TABLE movements (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,              -- UUIDv7
  type TEXT NOT NULL,                   -- charter | scheduled_flight | land | sea
  reference TEXT NOT NULL,              -- charter number, booking reference
  carrier TEXT,
  capacity INTEGER NOT NULL CHECK (capacity > 0),  -- seats, escorts included
  status TEXT NOT NULL,                 -- planned | confirmed | departed | arrived | cancelled
  office_pk INTEGER NOT NULL REFERENCES offices(pk),          -- sending office
  receiving_office_pk INTEGER NOT NULL REFERENCES offices(pk),
  departs_ms INTEGER,                   -- the first leg's departure (UTC), NULL without legs
  arrives_ms INTEGER,                   -- the last leg's arrival (UTC)
  departed_at INTEGER,                  -- when departure was confirmed as happening (UTC ms)
  arrived_at INTEGER,
  cancel_reason TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX movements_office ON movements(office_pk, departs_ms);
CREATE INDEX movements_receiving ON movements(receiving_office_pk, departs_ms);

CREATE TABLE movement_legs (
  movement_pk INTEGER NOT NULL REFERENCES movements(pk) ON DELETE CASCADE,
  position INTEGER NOT NULL,            -- 0, 1, ... in travel order
  from_place TEXT NOT NULL,             -- IATA airport code (TMR) or a place for land and sea
  to_place TEXT NOT NULL,
  number TEXT,                          -- flight or vehicle number
  departs_local TEXT NOT NULL,          -- 2026-12-20T06:30
  departs_tz TEXT NOT NULL,             -- Africa/Algiers
  arrives_local TEXT NOT NULL,
  arrives_tz TEXT NOT NULL,
  departs_ms INTEGER NOT NULL,
  arrives_ms INTEGER NOT NULL,
  PRIMARY KEY (movement_pk, position)
) WITHOUT ROWID;

-- A person is on at most one movement at a time (booked or boarded); a
-- passenger taken off (no-show, removed, movement cancelled) keeps the row
-- with the reason, and may be booked again later.
CREATE TABLE movement_passengers (
  pk INTEGER PRIMARY KEY,
  movement_pk INTEGER NOT NULL REFERENCES movements(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  case_pk INTEGER NOT NULL REFERENCES cases(pk),
  status TEXT NOT NULL,                 -- booked | departed | arrived | no_show | removed
  booked_at INTEGER NOT NULL,
  booked_by_pk INTEGER REFERENCES users(pk),
  removed_at INTEGER,
  removed_by_pk INTEGER REFERENCES users(pk),
  removed_reason TEXT
);
CREATE INDEX movement_passengers_movement ON movement_passengers(movement_pk, status);
CREATE INDEX movement_passengers_case ON movement_passengers(case_pk);
CREATE UNIQUE INDEX movement_passengers_on_board ON movement_passengers(person_pk)
  WHERE status IN ('booked', 'departed');

-- Escorts take seats. Medical or operational; a staff member (user_pk) or
-- an external escort (name, organisation).
CREATE TABLE movement_escorts (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  movement_pk INTEGER NOT NULL REFERENCES movements(pk),
  kind TEXT NOT NULL,                   -- medical | operational
  user_pk INTEGER REFERENCES users(pk),
  name TEXT,
  organisation TEXT,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX movement_escorts_movement ON movement_escorts(movement_pk);
CREATE TABLE movement_escort_passengers (
  escort_pk INTEGER NOT NULL REFERENCES movement_escorts(pk) ON DELETE CASCADE,
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  PRIMARY KEY (escort_pk, person_pk)
) WITHOUT ROWID;

-- Airport assistance per leg: at the departure, in transit, on arrival.
CREATE TABLE movement_assistance (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  movement_pk INTEGER NOT NULL REFERENCES movements(pk),
  leg_position INTEGER NOT NULL,
  point TEXT NOT NULL,                  -- departure | transit | arrival
  meeting_point TEXT,
  user_pk INTEGER REFERENCES users(pk), -- staff, or
  partner_pk INTEGER REFERENCES partners(pk),
  status TEXT NOT NULL,                 -- requested | confirmed | done | cancelled
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX movement_assistance_movement ON movement_assistance(movement_pk, leg_position);

-- Onward transport of a passenger from the arrival airport to the final
-- destination (an admin area, by P-code).
CREATE TABLE movement_onward (
  movement_pk INTEGER NOT NULL REFERENCES movements(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  mode TEXT NOT NULL,                   -- bus | car | air | boat | train | other
  provider TEXT,
  partner_pk INTEGER REFERENCES partners(pk),
  destination_pcode TEXT,
  destination_admin_area TEXT,
  cost_minor INTEGER CHECK (cost_minor IS NULL OR cost_minor >= 0),
  currency TEXT,
  taken INTEGER,                        -- NULL until arrival; then 1 or 0
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (movement_pk, person_pk)
) WITHOUT ROWID;

-- The travel allowance of a passenger: what the reintegration ledger
-- takes over.
CREATE TABLE movement_allowances (
  movement_pk INTEGER NOT NULL REFERENCES movements(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  budget_line TEXT,
  recorded_at INTEGER NOT NULL,
  recorded_by_pk INTEGER REFERENCES users(pk),
  PRIMARY KEY (movement_pk, person_pk)
) WITHOUT ROWID;

-- Who met the passengers at the receiving end (one per movement).
CREATE TABLE movement_receptions (
  movement_pk INTEGER PRIMARY KEY REFERENCES movements(pk),
  met_by TEXT NOT NULL,
  at INTEGER NOT NULL,
  notes TEXT,
  recorded_by_pk INTEGER REFERENCES users(pk)
);
