/*
 * limits.h — every limit awda places on untrusted input, in one place.
 *
 * In the spirit of SQLite's sqliteLimit.h: each bound that protects the
 * server from a hostile or broken client is named here with a comment that
 * says why it has the value it has. Code that parses input refers to these
 * names, never to bare numbers, so that a reviewer can see every bound at a
 * glance and a test can aim exactly at each edge.
 */
#ifndef AWDA_LIMITS_H
#define AWDA_LIMITS_H

/* ---- HTTP front ------------------------------------------------------- */

/* Default maximum request body. A household of 30 members with documents is
 * about 40 KiB of JSON; 1 MiB leaves room for imports while bounding memory
 * per request. Larger bodies get 413. Configurable with --max-body. */
#define AWDA_MAX_BODY_DEFAULT (1024 * 1024)

/* Hard ceiling for the configurable body cap. */
#define AWDA_MAX_BODY_CEILING (64 * 1024 * 1024)

/* Longest URL path (after percent-decoding) the router looks at. */
#define AWDA_MAX_PATH 2048

/* Longest single query-string value (search terms, cursors). */
#define AWDA_MAX_QUERY_VALUE 512

/* Longest path of a file of the web interface (static.c): the built tree
 * is shallow (i18n/ar.<hash>.json), so anything longer is not ours. */
#define AWDA_MAX_STATIC_PATH 256

/* Largest file of the web interface static.c reads into memory to send
 * (the whole first load is under 150 KB compressed). */
#define AWDA_MAX_STATIC_FILE (4 * 1024 * 1024)

/* Memory MHD may use per connection for headers and buffers (MHD zeroes
 * it for every request, so it is kept at MHD's own default). */
#define AWDA_CONN_MEMORY_LIMIT (32 * 1024)

/* Simultaneous connections, total and from one address. */
#define AWDA_MAX_CONNECTIONS        4096
#define AWDA_MAX_CONNECTIONS_PER_IP 1024

/* Seconds an idle connection is kept open. */
#define AWDA_CONN_TIMEOUT_SECONDS 30

/* Longest Idempotency-Key header value. */
#define AWDA_MAX_IDEMPOTENCY_KEY 128

/* Longest If-Match header value. */
#define AWDA_MAX_IF_MATCH 64

/* Longest session token presented in a header or cookie. */
#define AWDA_MAX_TOKEN 128

/* Longest Host header value: a DNS name is at most 253 bytes, then
 * ":65535"; an [IPv6] literal is shorter (hygiene.c, 400 above). */
#define AWDA_MAX_HOST_HEADER 262

/* ---- JSON ------------------------------------------------------------- */

/* Deepest nesting accepted in a JSON body: a case is at most 5 deep
 * (case → members → member → person → documents → document). */
#define AWDA_JSON_MAX_DEPTH 16

/* Most elements in any JSON array (members, documents, languages). */
#define AWDA_JSON_MAX_ARRAY 200

/* ---- Registry --------------------------------------------------------- */

/* Members in one case (a large household or a group travelling together). */
#define AWDA_MAX_MEMBERS 60

/* Documents per person. */
#define AWDA_MAX_DOCUMENTS 20

/* Languages per person. */
#define AWDA_MAX_LANGUAGES 10

/* Vulnerability flags per person. */
#define AWDA_MAX_VULNERABILITIES 20

/* Offices a user may belong to. */
#define AWDA_MAX_USER_OFFICES 32

/* Exports are sent row by row as they are made (CSV) or from a file
 * assembled on disk (XLSX), so their size does not bound the server's
 * memory. An export larger than the setting export_max_rows (rows:
 * members of cases; default and ceiling below) is refused whole with 422
 * export-too-large, never cut short; so is an XLSX one larger than a
 * worksheet holds (1,048,576 rows less the two header rows). */
#define AWDA_EXPORT_MAX_ROWS_DEFAULT 5000000
#define AWDA_EXPORT_MAX_ROWS_CEILING 100000000
#define AWDA_XLSX_MAX_ROWS           1048574
/* Bytes of an export made ahead of what the connection has taken. */
#define AWDA_EXPORT_CHUNK 65536
/* Exports being made or sent at one time; one more is 503 with
 * Retry-After (each holds a database connection and a buffer). */
#define AWDA_MAX_EXPORTS_IN_FLIGHT 4

/* Projects a programme manager may be scoped to, and the room their
 * names take as a JSON array. */
#define AWDA_MAX_USER_PROJECTS      8
#define AWDA_MAX_USER_PROJECTS_JSON 1024

/* Roles a user may hold. */
#define AWDA_MAX_USER_ROLES 12

/* Longest free-text note on a case, in bytes. */
#define AWDA_MAX_NOTES 20000

/* The texts of one case read (its row, and every member's person with
 * documents and contact), in bytes: far above what the limits on input
 * let a case hold (about 60 members of a few KB each, the notes); a read
 * past it fails instead of growing without bound. */
#define AWDA_MAX_CASE_TEXT (4 * 1024 * 1024)

/* One case written as JSON for an answer, in bytes: its texts escaped
 * (a control character in the notes takes up to six bytes). */
#define AWDA_MAX_CASE_ANSWER (3 * AWDA_MAX_CASE_TEXT)

/* Longest reason given for a change (a member removed from a case), in
 * bytes. */
#define AWDA_MAX_REASON 4000

/* Longest name (as written or Latin), in bytes of UTF-8. */
#define AWDA_MAX_NAME 200

/* Longest generic short string field (numbers, admin areas), in bytes. */
#define AWDA_MAX_SHORT 120

/* How many times a journey step decided on a reader is decided again when
 * the case changed before its write; after that it is decided and written
 * in one job on the writer (src/app/journey.c). */
#define AWDA_TRANSITION_ATTEMPTS 3

/* Most records of one case the journey's requirements read (the typed
 * list of core/journey.h, about 250 bytes each): a case with more cannot
 * be weighed and its step answers an error rather than guess. */
#define AWDA_CASE_RECORDS_MAX 20000
/* Longest text of a record that a requirement quotes (an ineligibility's
 * reason, a restriction's), in bytes with its NUL, as the typed snapshot
 * keeps it: a requirement's sentence is at most 400 bytes anyway. */
#define AWDA_RECORD_TEXT_MAX 400

/* Page size limits for lists. */
#define AWDA_LIST_DEFAULT 50
#define AWDA_LIST_MAX     200

/* Terms in one name search, and the longest key built from them. */
#define AWDA_SEARCH_MAX_TERMS 6
#define AWDA_NAME_KEY_MAX     64
/* Rows of the name index one search may examine: beyond, the search
 * answers with the persons found so far (no query takes seconds,
 * whatever the data). */
#define AWDA_SEARCH_SCAN_MAX 100000

/* ---- The return journey ----------------------------------------------- */

/* A departure may be confirmed for a time at most this many hours before
 * the day (UTC) of the planned departure: a charter can leave the evening
 * before, a delay moves it later (no bound), but a departure typed days
 * early is a mistake. */
#define AWDA_DEPARTURE_EARLY_HOURS 24

/* A time said to have happened (a departure, an arrival, a health
 * assessment) may be this far ahead of the server's clock: the clocks of
 * the browsers and phones that send it drift a little. */
#define AWDA_CLOCK_SKEW_MS (5 * 60 * 1000)

/* ---- Authentication --------------------------------------------------- */

/* Password length bounds (bytes). The minimum is enforced when a password
 * is set; the maximum bounds the hashing work a client can ask for. */
#define AWDA_PASSWORD_MIN 12
#define AWDA_PASSWORD_MAX 256

/* Longest user name. */
#define AWDA_MAX_USERNAME 64

/* A one-time code of the second factor: 6 digits (a few more characters
 * are accepted and refused as wrong, so a space typed by hand is not
 * mistaken for a malformed request). */
#define AWDA_MAX_OTP 10

/* Argon2id hashes that may run at once (64 MiB each at the interactive
 * preset): this bounds the memory a login storm can take. It is also the
 * number of threads the server hashes on (see AWDA_WORK_QUEUE_MAX). */
#define AWDA_MAX_CONCURRENT_HASHES 2

/* Failed sign-ins (src/app/auth.c) before further attempts get 429,
 * counted over AWDA_LOGIN_WINDOW_SECONDS: for one user name from one
 * address (also the limit on re-typing one's password), and from one
 * address for any names (an IPv6 address counts by its /64 network). */
#define AWDA_LOGIN_FAILURES_PER_USER 5
#define AWDA_LOGIN_FAILURES_PER_ADDR 20
#define AWDA_LOGIN_WINDOW_SECONDS    300

/* The budget of one user name from all addresses together, over
 * AWDA_LOGIN_USER_WINDOW_SECONDS: past it, only addresses the user signed
 * in from successfully within AWDA_KNOWN_ADDRESS_DAYS may still try, so
 * guessing from many addresses is slowed to this rate without locking the
 * owner out. A user keeps at most AWDA_KNOWN_ADDRESSES_PER_USER of them. */
#define AWDA_LOGIN_FAILURES_PER_USER_ANYWHERE 30
#define AWDA_LOGIN_USER_WINDOW_SECONDS        3600
#define AWDA_KNOWN_ADDRESS_DAYS               30
#define AWDA_KNOWN_ADDRESSES_PER_USER         16

/* Counters of failed attempts held at once (names, addresses and pairs
 * with a failure in their window, or an attempt in progress; about 48
 * bytes each). When full, the expired ones are dropped; when they are all
 * alive, new attempts are refused with 503 until some expire — failing
 * closed rather than forgetting failures. */
#define AWDA_THROTTLE_MAX_ENTRIES 65536

/* Deferred work (src/http/http_work.c): password hashes run on
 * AWDA_MAX_CONCURRENT_HASHES dedicated threads, never on the threads that
 * answer requests. At most AWDA_WORK_QUEUE_MAX jobs wait for them (about
 * two seconds of hashing); past that a request gets 503 with Retry-After
 * AWDA_WORK_RETRY_AFTER seconds. */
#define AWDA_WORK_QUEUE_MAX   64
#define AWDA_WORK_RETRY_AFTER 2

/* Session lifetime in seconds (absolute). */
#define AWDA_SESSION_LIFETIME (12 * 3600)

/* Audit records (one per request) waiting for the writer, at most: the
 * writer takes every record waiting with its next commit (see the flush
 * window below). Past it a request waits for the writer to take them; a
 * record is never dropped. About 300 bytes each, two lists (one filling,
 * one being stored): at most about 10 MB. */
#define AWDA_AUDIT_PENDING_MAX 16384

/* ---- perf10: the audit row of a read ------------------------------------ */
/* The writer stores the audit records waiting with the next write it
 * commits, and without one at the latest this many milliseconds after the
 * first of them was queued: the most a crash may lose (the records of the
 * requests answered in that window); a clean stop stores them all. */
#define AWDA_AUDIT_FLUSH_MS 100
/* ...or as soon as this many records are waiting (a commit of about this
 * many rows; under AWDA_AUDIT_PENDING_MAX so readers rarely wait). */
#define AWDA_AUDIT_FLUSH_ROWS 4096

/* Rows of one breakdown of GET /statistics that disclosure control walks
 * (the values of a field: stages, offices, countries...); a breakdown with
 * more is withheld whole. */
#define AWDA_STATS_MAX_ROWS 4096

/* ---- Config file ------------------------------------------------------ */

/* Longest line in the optional config file. */
#define AWDA_CONFIG_MAX_LINE 1024

/* Largest config file read. */
#define AWDA_CONFIG_MAX_BYTES (64 * 1024)

/* Largest file of the demo dataset (the JSON files of data/demo, read by `awda demo`
 * and bench/gen): the biggest is about 25 KiB; a file beyond 1 MiB is not
 * the demo's. */
#define AWDA_DEMO_MAX_FILE (1024 * 1024)

/* Areas of one destination list of places.json (`awda demo` and bench/gen). */
#define AWDA_DEMO_MAX_AREAS 16

/* Language sets of one profile of households.json (`awda demo` and
 * bench/gen). */
#define AWDA_DEMO_MAX_LANGUAGE_SETS 16

/* Users listed as the staff of one office (GET /offices/{code}/staff): the
 * choices of the "assigned case worker" field. */
#define AWDA_MAX_OFFICE_STAFF 500

/* ---- Messages in the user's language (src/text/messages.c) ------------ */

/* Longest Accept-Language value read; a longer one counts as absent
 * (English). */
#define AWDA_MAX_ACCEPT_LANGUAGE 256

/* Language ranges read from one Accept-Language value. */
#define AWDA_MAX_ACCEPT_RANGES 16

/* Parameters of one message template, and the longest sentence matched
 * against the catalogue (a longer one stays English). */
#define AWDA_MSG_MAX_PARAMS 8
#define AWDA_MSG_MAX_LEN    4096

/* Steps the template matcher may take for one sentence before it gives up
 * (the sentence stays English); bounds the backtracking of templates with
 * adjacent parameters. */
#define AWDA_MSG_MAX_STEPS 20000

/* ---- Movements (src/app/movements.c, movement_passengers.c) ---------- */

/* Legs of one movement (TMR -> ALG -> BKO is two). */
#define AWDA_MOVEMENT_MAX_LEGS 8

/* Seats of one movement: a large charter has a few hundred. */
#define AWDA_MOVEMENT_MAX_CAPACITY 1000

/* Cases and persons named in one request that adds passengers (150
 * persons of a charter fit easily). */
#define AWDA_MOVEMENT_MAX_ADD 1000

/* Longest reference, carrier, flight or vehicle number, place of a leg
 * and IANA time zone name. */
#define AWDA_MOVEMENT_MAX_TEXT 64

/* Longest reason (removal, no-show, cancellation) and reception notes. */
#define AWDA_MOVEMENT_MAX_REASON 4000

/* Movements listed in one answer (the newest departures first). */
#define AWDA_MOVEMENT_LIST_MAX 500

/* ---- Movement care: escorts, assistance, onward transport (movement_care) ---- */

/* Largest amount of money in minor units (onward transport cost, travel
 * allowance): a trillion minor units is more than any single payment to
 * one returnee in any currency, and far inside a 64-bit integer and a
 * spreadsheet's exact integers (2^53). */
#define AWDA_MAX_MONEY_MINOR 1000000000000LL

/* Passengers one escort accompanies: a medical escort takes one or two
 * patients, an operational escort a group; 500 is a whole charter. */
#define AWDA_MAX_ESCORT_PASSENGERS 500

/* Legs an airport assistance may name (its index, 0-based): more legs
 * than any real journey (TMR -> ALG -> BKO is two). */
#define AWDA_MAX_ASSISTANCE_LEG 31

/* Escorts and airport assistances one movement may hold: each escort takes
 * a seat and a charter is at most a few hundred seats. */
#define AWDA_MAX_MOVEMENT_ESCORTS    500
#define AWDA_MAX_MOVEMENT_ASSISTANCE 200

/* A P-code (OCHA administrative area code, e.g. ML0101): at most this many
 * letters, digits and dashes. */
#define AWDA_MAX_PCODE 20

/* The largest manifest file (CSV or XLSX) made in memory: 500 passengers
 * take about 150 KB; this bounds a movement with far more. */
#define AWDA_MAX_MANIFEST_BYTES (32 * 1024 * 1024)

/* Longest cell of a manifest (the names an escort accompanies): a
 * spreadsheet cell holds at most 32767 characters. */
#define AWDA_MAX_MANIFEST_CELL 32000

/* ---- end of movement care ---- */

/* ---- The reintegration report of a project (reintegration_report) ---- */

/* The largest report file (CSV or XLSX) made in memory: a report is a few
 * hundred rows of figures (about 40 KB), one per budget line beyond that;
 * this bounds a project with thousands of lines. */
#define AWDA_MAX_REPORT_BYTES (8 * 1024 * 1024)

/* ---- end of the reintegration report ---- */

/* ---- money (programmes, projects, the ledger) ---- */

/* Budget lines one reference (a plan item, an activity) may be charged
 * to: an item is charged to one line; a few is generous. */
#define AWDA_MAX_REF_LINES 16

/* A rate's numerator or denominator (1 EUR = 655.957 XOF is 655957/1000):
 * nine digits each carry any rate to more places than a bank quotes. */
#define AWDA_MAX_RATE_TERM 999999999LL

/* Tranches one plan item is paid in: a business grant is paid in two or
 * three; 100 is far past any real schedule. */
#define AWDA_MAX_TRANCHE 100

/* A programme's, project's or budget line's code ("EU-IOM-JI",
 * "ML-PSS-2026", "2.1"), and an indicator's name in a project's targets. */
#define AWDA_MAX_MONEY_CODE 40

/* Components, regions, countries, places, targets and budget lines of one
 * programme or project: the Joint Initiative spans 26 countries. */
#define AWDA_MAX_MONEY_LIST 200

/* A project's target for one indicator (people reached, sessions held). */
#define AWDA_MAX_MONEY_TARGET 100000000LL

/* ---- end of money ---- */

/* ---- Follow-up: monitoring visits, the survey, activities (followup) ---- */

/* Largest survey instrument file read (the default is about 22 KB). */
#define AWDA_SURVEY_MAX_FILE (1024 * 1024)

/* Indicators, questions and answer options of one instrument, at most:
 * the published survey has 15 indicators and about 30 questions. */
#define AWDA_SURVEY_MAX_INDICATORS 100
#define AWDA_SURVEY_MAX_QUESTIONS  300
#define AWDA_SURVEY_MAX_OPTIONS    20

/* Largest weight of an indicator (weights are relative whole numbers). */
#define AWDA_SURVEY_MAX_WEIGHT 1000

/* Longest code of an instrument, an indicator, a question or an option. */
#define AWDA_SURVEY_MAX_CODE 64

/* Instrument files read from the survey directory, at most. */
#define AWDA_SURVEY_MAX_FILES 32

/* Longest visitor's name, activity title, place, facilitator's name. */
#define AWDA_FOLLOWUP_MAX_TEXT 200

/* Longest findings of a visit and note on a plan item. */
#define AWDA_FOLLOWUP_MAX_FINDINGS 20000

/* Plan items named in one visit; facilitators, linked returnees and
 * count rows of one activity. */
#define AWDA_VISIT_MAX_ITEMS           200
#define AWDA_ACTIVITY_MAX_FACILITATORS 50
#define AWDA_ACTIVITY_MAX_PARTICIPANTS 2000

/* Largest count of other participants in one sex and age group (a
 * campaign may reach many thousands). */
#define AWDA_ACTIVITY_MAX_COUNT 10000000

/* Activities listed in one answer (the latest first). */
#define AWDA_ACTIVITY_LIST_MAX 500

/* ---- end of follow-up ---- */
/* ---- reintegration plans ---- */

/* A plan should exist within this many days of arrival: a case at
 * `arrived` longer than this without an approved plan is overdue (the
 * dashboard lists it). */
#define AWDA_PLAN_DUE_DAYS 30

/* Cases the overdue list shows at most (the oldest arrivals first). */
#define AWDA_PLAN_OVERDUE_MAX 500

/* Returnees one collective plan may name (a whole community project). */
#define AWDA_PLAN_MAX_MEMBERS 200

/* Items one plan may hold. */
#define AWDA_PLAN_MAX_ITEMS 100

/* Longest text of a needs assessment's or an item's free-text fields
 * (skills, work history, needs, evidence...). */
#define AWDA_PLAN_MAX_TEXT 4000

/* Services (service x place) one partner may list. */
#define AWDA_PARTNER_MAX_SERVICES 500

/* Longest code of a plan item type (lower-case letters, digits, _). */
#define AWDA_ITEM_TYPE_CODE_MAX 40

/* ---- end of reintegration plans ---- */

/* ---- Import: the file read (src/import/, table.h) ---- */
/* The largest file an import reads (CSV or XLSX as uploaded). */
#define AWDA_IMPORT_MAX_FILE_BYTES (256L * 1024 * 1024)
/* The most one zip member of an XLSX may expand to, and the largest ratio
 * of expanded to compressed bytes (beyond either: a zip bomb). */
#define AWDA_IMPORT_MAX_UNZIPPED_BYTES (1024L * 1024 * 1024)
#define AWDA_IMPORT_MAX_ZIP_RATIO      200
/* Sheets of a workbook, data rows of a sheet, columns of a sheet, bytes of
 * one cell. */
#define AWDA_IMPORT_MAX_SHEETS     64
#define AWDA_IMPORT_MAX_ROWS       2000000L
#define AWDA_IMPORT_MAX_COLUMNS    1024
#define AWDA_IMPORT_MAX_CELL_BYTES 4096
/* ---- end of import: the file read ---- */

/* ---- imp: the import module (app/imports.c, import_mapping.c) ---- */
/* The largest mapping file (JSON) an import takes, and the fields one
 * mapping may fill for the case, or for the persons of one sheet. */
#define AWDA_IMPORT_MAX_MAPPING_BYTES (256 * 1024)
#define AWDA_IMPORT_MAX_SPECS         48
/* Entries of one value map ("m" -> "male"...). */
#define AWDA_IMPORT_MAX_VALUE_MAP 2000
/* Problems an import keeps (counted beyond, not kept): the first ones are
 * the ones to fix. */
#define AWDA_IMPORT_MAX_PROBLEMS_KEPT 20000
/* Households written in one writer transaction (store_write_solo: a
 * larger transaction touches each index page for more rows, so the
 * write-ahead log carries fewer page copies per row), and how often
 * (rows) the progress of a check without writes is saved. */
#define AWDA_IMPORT_BATCH_HOUSEHOLDS 8000
/* The same for an import that has the database to itself (`awda import`
 * holds the database's lock): each batch holds the writer for as long as
 * it takes, which a server's import must keep short for the registrations
 * that wait behind it, and nothing waits behind the command line's. Four
 * times fewer commits: at a million rows, every random index page is
 * written to the log a quarter as often. */
#define AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE 32000
/* ... but only as large as makes this many batches of the file at least
 * (a file of 60,000 households stays at 8,000: app/import_pass.c). */
#define AWDA_IMPORT_BATCHES_ALONE 16
/* The keys of the persons of one import batch made before its writer job
 * (store/key_ready.c), at most: a batch of 32,000 households is about
 * 53,000 persons of about 1 KiB of keys each. A person past it gets their
 * keys made in the job. */
#define AWDA_KEYS_READY_BYTES     ((size_t)64 << 20)
#define AWDA_IMPORT_PROGRESS_ROWS 5000
/* The first batch of an import (each next one twice as large, up to
 * the import's largest): the first progress comes early. */
#define AWDA_IMPORT_BATCH_FIRST 1000
/* Rows an import writes between two checkpoints that empty the
 * write-ahead log (store_checkpoint). */
#define AWDA_IMPORT_CHECKPOINT_ROWS 50000
/* The writer's page cache while an import writes (KiB; the usual one
 * again after it): a million persons' keys fill indexes of gigabytes. */
#define AWDA_IMPORT_WRITER_CACHE_KIB 524288
/* Imports the server runs at once (each on a thread of its own); more
 * are refused with 503 until one ends. */
#define AWDA_IMPORT_MAX_RUNNING 2
/* Imports one list shows (newest first), problems one page shows. */
#define AWDA_IMPORT_LIST_MAX     200
#define AWDA_IMPORT_PROBLEMS_MAX 5000
/* ---- end of imp ---- */

/* ---- imp-read: the reader's own bounds (src/import/) ---- */
/* Cells held at once over every sheet (4 bytes each), and the bytes of
 * text of a workbook (every cell's text, shared strings once). */
#define AWDA_IMPORT_MAX_CELLS      50000000L
#define AWDA_IMPORT_MAX_TEXT_BYTES (1024L * 1024 * 1024)
/* The bytes looked at to tell text from a binary file. */
#define AWDA_IMPORT_SNIFF_BYTES 4096
/* Members of an XLSX zip, and shared strings of a workbook. */
#define AWDA_IMPORT_MAX_ZIP_ENTRIES    10000
#define AWDA_IMPORT_MAX_SHARED_STRINGS 10000000L
/* Members smaller than this are not held to AWDA_IMPORT_MAX_ZIP_RATIO
 * (a small XML of repeated cells compresses far, and cannot be a bomb). */
#define AWDA_IMPORT_ZIP_RATIO_FROM_BYTES (1024L * 1024)
/* Cell styles (cellXfs) and number formats read from xl/styles.xml, and
 * the depth of XML elements in any member. */
#define AWDA_IMPORT_MAX_STYLES    65536
#define AWDA_IMPORT_MAX_XML_DEPTH 64
/* ---- end of imp-read ---- */

/* ---- Duplicates (app/duplicates.c) ---- */
/* The score (basis points) from which a candidate is flagged for review
 * when a person is registered or imported. */
#define AWDA_DUPLICATE_FLAG_SCORE 7000
/* Pairs flagged for one person at most: the best scored (ties: the older
 * person first). A common name with the same year of birth has many
 * namesakes above the flag score; the person registered again is nearly
 * always the first of them, and the review queue must not drown. */
#define AWDA_DUP_FLAG_PER_PERSON 3
/* ---- end of duplicates ---- */

/* ---- The search that finds people (nk: store/person_search.c) ---- */
/* Search keys written for one person (both names' words: exact, skeleton
 * and one-delete keys, and the phone); more are not written. */
#define AWDA_SEARCH_KEYS_MAX 96
/* Distinct persons one name search scores; the index scan stops beyond
 * (within AWDA_SEARCH_SCAN_MAX rows as well). */
#define AWDA_SEARCH_CANDIDATES_MAX 500
/* Cases listed with one person in a search answer; a person in more is
 * an error of the data, answered as a failed search, not cut short. */
#define AWDA_SUMMARY_CASES_MAX 1000
/* Bytes of one page of search results as JSON (AWDA_LIST_MAX persons). */
#define AWDA_MAX_SEARCH_ANSWER (4 * 1024 * 1024)
/* Bytes of one page of the case list as JSON (AWDA_LIST_MAX cases). */
#define AWDA_MAX_LIST_ANSWER (2 * 1024 * 1024)
/* Digits of a phone number that must agree (its tail), at least and at
 * most compared. */
#define AWDA_PHONE_TAIL_MIN 7
#define AWDA_PHONE_TAIL_MAX 9
/* ---- end of the search that finds people ---- */

/* ---- Merge: the review queue, merges and their undo (app/merges.c) ---- */
/* Pairs read to fill one page of the queue for a user who sees only some
 * offices (the pairs of no person they may see are skipped); past it the
 * page ends early with a cursor to go on from. */
#define AWDA_MERGE_QUEUE_SCAN_MAX 2000
/* A reviewer's note on a pair, at most (bytes). */
#define AWDA_MERGE_NOTE_MAX 1000
/* Merges followed from a merged person to the person kept, at most. */
#define AWDA_MERGE_CHAIN_MAX 16
/* Rows one merge may re-point, at most (a person's whole history: cases,
 * records, documents, keys...); past it the merge is refused. */
#define AWDA_MERGE_ROWS_MAX 100000
/* ---- end of merge ---- */
/* ---- dup: the duplicates module (store/dup_keys.c, store/duplicates.c, app/duplicates.c) ---- */
/* Distinct word skeletons of one person (both names, alt forms included)
 * that make pair keys; more are ignored (a name of eight words is rare). */
#define AWDA_DUP_KEY_WORDS 7
/* Blocking keys of one person at most (pairs first, then the year keys,
 * the words with the date of birth, then the pairs with one letter
 * deleted). */
#define AWDA_DUP_KEYS_MAX 128
/* Keys one query probes at most (the year keys for year-1..year+1). */
#define AWDA_DUP_PROBES_MAX 256
/* A key shared by more persons than this is too common to tell anyone
 * apart ("Mohamed Traore"): it is skipped, the rarer keys decide. */
#define AWDA_DUP_POSTINGS_MAX 400
/* A key found shared by more than AWDA_DUP_POSTINGS_MAX persons is not
 * read again by the same thread for this long (the postings of a common
 * pair were a third of the rows a search read, to be skipped). */
#define AWDA_DUP_COMMON_KEY_SECONDS 600
/* Distinct candidates gathered from the keys at most, and of them the
 * best-supported ones read and scored. */
#define AWDA_DUP_CANDIDATES_MAX 4096
#define AWDA_DUP_SCORED_MAX     32
/* Of the candidates gathered, the best-supported ones pre-scored (their
 * date of birth, sex and nationality read, no more) before the
 * AWDA_DUP_SCORED_MAX best of them are read and scored. */
#define AWDA_DUP_PRESCORED_MAX 96
/* Answers of GET /persons/{id}/duplicates and POST /duplicates/check:
 * default and most (?limit=). */
#define AWDA_DUP_LIMIT_DEFAULT 10
#define AWDA_DUP_LIMIT_MAX     50
/* Persons whose keys one writer job of `awda duplicates reindex` or the
 * backfill at start writes. */
#define AWDA_DUP_REINDEX_BATCH 20000
/* Threads that make the keys in `awda duplicates reindex` at most. */
#define AWDA_DUP_REINDEX_THREADS 8
/* Flagging this many persons at once (an import) reads the blocking keys
 * and the persons whole into memory (app/dup_bulk.c) instead of querying
 * the database person by person; on up to AWDA_DUP_BULK_THREADS threads.
 * An import flags the persons it wrote in the background of its next
 * writes, when AWDA_IMPORT_FLAG_PERSONS wait or a quarter of what it wrote
 * so far (each time the whole is read again, so not too often), and the
 * rest at its end. */
#define AWDA_DUP_BULK_MIN        1000
#define AWDA_DUP_BULK_THREADS    8
#define AWDA_IMPORT_FLAG_PERSONS 20000
/* Each thread of the bulk flagging keeps the compared words of the
 * persons it met (dup_score.h: dup_words_t, ~0.3 KiB a person, 8 KiB at
 * most) in AWDA_DUP_WORDS_CACHE_BYTES, found by pk through
 * AWDA_DUP_WORDS_CACHE_SLOTS slots (a power of 2; a person may take the
 * slot of another); full, it is emptied and filled again. Memory: at most
 * AWDA_DUP_BULK_THREADS * (bytes + 8 * slots) = 8 * 34 MiB, however many
 * persons (a flagging of 20,000 persons among 100,000 meets ~90,000 a
 * thread). */
#define AWDA_DUP_WORDS_CACHE_BYTES (32u << 20)
#define AWDA_DUP_WORDS_CACHE_SLOTS (1u << 18)
/* Persons per writer job of the backfill a server runs at start (small:
 * registrations wait behind it). */
#define AWDA_DUP_BACKFILL_BATCH 200
/* Persons waiting to be flagged after their registration (the queue of
 * the flagging thread, 48 bytes each; a full queue drops the flagging,
 * never the registration). Room for a burst: one by one the thread
 * flags a few hundred persons a second at a million persons. */
#define AWDA_DUP_FLAG_QUEUE 65536
/* Registered persons the flagging thread looks at in one read transaction
 * (one by one on the database: its memory does not grow with the
 * register, whatever waits). */
#define AWDA_DUP_FLAG_CHUNK 64
/* Two known dates of birth more than this many years apart are two
 * persons unless a document number agrees: the score is kept
 * AWDA_DUP_DOB_FAR_MARGIN under AWDA_DUPLICATE_FLAG_SCORE (namesakes are
 * many in a large register). */
#define AWDA_DUP_DOB_FAR_YEARS  2
#define AWDA_DUP_DOB_FAR_MARGIN 1000
/* ---- end of dup ---- */

#endif
