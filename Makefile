# awda — build, run and test.
#
#   make         install dependencies, build awda (normal + ASan/UBSan) and the web interface
#   make run     install dependencies, build, create a demo database, serve
#   make check   install dependencies, build (normal + ASan/UBSan), run every test
#   make install PREFIX=/usr/local   the binary, the web interface, the demo data and a systemd unit
#
# Dependencies come from Debian packages (scripts/install-deps.sh, idempotent)
# and are found with pkg-config. Objects go to build/ (normal, -O2) and
# build/asan/ (AddressSanitizer + UndefinedBehaviorSanitizer).

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n liboath xlsxwriter libzip expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla -Wno-format-truncation
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -g -Ibuild/gen $(WARN) $(PKG_CFLAGS) -MMD -MP
CFLAGS_REL  := $(CFLAGS_BASE) -O2
CFLAGS_ASAN := $(CFLAGS_BASE) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDLIBS  := $(PKG_LIBS) -lpthread -lm

SRC_LIB := $(sort $(wildcard src/util/*.c src/text/*.c src/core/*.c src/store/*.c src/import/*.c src/app/*.c src/http/*.c src/cli/*.c))
SRC_LIB := $(filter-out src/cli/main.c,$(SRC_LIB))
OBJ_REL := $(SRC_LIB:%.c=build/%.o)
OBJ_ASAN:= $(SRC_LIB:%.c=build/asan/%.o)
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_REL:= $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_ASAN:= $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

DB      ?= var/awda.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all deps build run check unit api lint fmt clean asan install
# Everything `awda serve` needs: the binaries and, beside them, the web
# interface (build/web; build/asan/web links to it), where awda finds it
# wherever it is started from.
all: deps
	@$(MAKE) --no-print-directory build web

deps:
	@scripts/install-deps.sh

build: build/awda build/asan/awda

# The SQL of each migration is embedded as a C string literal, and the
# list of them (schema.sql, then migration_002.sql, ... in order) is
# generated: a new migration is a new file, with no edit to C.
MIGRATIONS := src/store/schema.sql $(sort $(wildcard src/store/migration_*.sql))
MIGRATION_INC := $(MIGRATIONS:src/store/%.sql=build/gen/%.inc) build/gen/migrations.inc

build/gen/%.inc: src/store/%.sql
	@mkdir -p $(dir $@)
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# The names of the files, rewritten only when they change, so that a file
# removed or renamed also makes the list again.
MIGRATION_NAMES := $(shell mkdir -p build/gen && echo '$(MIGRATIONS)' | cmp -s - build/gen/migrations.list || echo '$(MIGRATIONS)' > build/gen/migrations.list)

build/gen/migrations.inc: build/gen/migrations.list $(MIGRATIONS) scripts/gen-migrations.sh
	@mkdir -p $(dir $@)
	@scripts/gen-migrations.sh $@ $(MIGRATIONS)

build/src/store/migrate.o build/asan/src/store/migrate.o: $(MIGRATION_INC)

# The catalogue of messages is one file of rows per module
# (src/text/messages/<module>.inc), and the list of them that
# src/text/messages.c includes into MESSAGES[] is generated the same way:
# a new module adds a file, with no edit to a shared list. field_words.inc
# holds the rows of FIELD_WORDS[], which messages.c includes by name.
MESSAGE_FILES := $(sort $(filter-out src/text/messages/field_words.inc,$(wildcard src/text/messages/*.inc)))
MESSAGE_INC := build/gen/messages.inc
MESSAGE_NAMES := $(shell mkdir -p build/gen && echo '$(MESSAGE_FILES)' | cmp -s - build/gen/messages.list || echo '$(MESSAGE_FILES)' > build/gen/messages.list)

build/gen/messages.inc: build/gen/messages.list scripts/gen-messages.sh
	@mkdir -p $(dir $@)
	@scripts/gen-messages.sh $@ $(MESSAGE_FILES)

build/src/text/messages.o build/asan/src/text/messages.o: $(MESSAGE_INC) $(MESSAGE_FILES) src/text/messages/field_words.inc

build/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_REL) -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(CFLAGS_ASAN) -c $< -o $@

build/awda: build/src/cli/main.o $(OBJ_REL)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

build/asan/awda: build/asan/src/cli/main.o $(OBJ_ASAN)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ASAN) -o $@ $^ $(LDLIBS)

build/tests/%: tests/unit/%.c $(OBJ_REL)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c $(OBJ_ASAN)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ASAN) -o $@ $^ $(LDLIBS) -lcmocka

# deps first, then a make that reads pkg-config's answers for what it installed
run: deps
	@$(MAKE) --no-print-directory build/awda web
	@AWDA_WEB_ROOT=build/web scripts/run-demo.sh "$(DB)" "$(LISTEN)"

check: deps
	@$(MAKE) --no-print-directory build web $(UNIT_REL) $(UNIT_ASAN)
	@scripts/run-tests.sh

# The web interface: web/build.mjs writes content-hashed, pre-compressed
# files to build/web from web/ and the libraries `npm ci` installed from the
# committed lock file (no network, no bundler). `make run` serves it.
WEB_SRC := $(sort $(wildcard web/build.mjs web/src/*.* web/src/js/*.js web/i18n/*.json))
.PHONY: web
web: build/web/index.html build/asan/web

# The ASan build finds the same interface beside it.
build/asan/web:
	@mkdir -p build/asan && ln -sfn ../web build/asan/web

build/web/index.html: $(WEB_SRC) package-lock.json
	@echo "  WEB     build/web"
	@node web/build.mjs build/web

# make install [PREFIX=/usr/local] [DESTDIR=...]: PREFIX/bin/awda, the web
# interface in PREFIX/share/awda/web and the demo dataset in
# PREFIX/share/awda/demo, the survey instruments in PREFIX/share/awda/survey
# (where awda looks, relative to its binary), and
# PREFIX/lib/systemd/system/awda.service (dist/awda.service.in).
PREFIX  ?= /usr/local
install: build/awda build/web/index.html
	@test -n "$(PREFIX)" || { echo "make install: PREFIX is empty" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/awda/web \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0755 build/awda $(DESTDIR)$(PREFIX)/bin/awda
	rm -rf $(DESTDIR)$(PREFIX)/share/awda/web
	cp -R build/web $(DESTDIR)$(PREFIX)/share/awda/web
	install -d $(DESTDIR)$(PREFIX)/share/awda/demo
	install -m 0644 data/demo/*.json $(DESTDIR)$(PREFIX)/share/awda/demo/
	install -d $(DESTDIR)$(PREFIX)/share/awda/survey
	install -m 0644 data/survey/*.json data/survey/README.md $(DESTDIR)$(PREFIX)/share/awda/survey/
	sed 's|@PREFIX@|$(PREFIX)|g' dist/awda.service.in \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/awda.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/awda.service

fmt:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'bench/*.c')

clean:
	rm -rf build

include fuzz/fuzz.mk

-include $(OBJ_REL:.o=.d) $(OBJ_ASAN:.o=.d) build/src/cli/main.d build/asan/src/cli/main.d
