# fuzz/fuzz.mk — libFuzzer harnesses (included by the Makefile).
#
#   make fuzz                      run every harness for FUZZ_TIME seconds (60)
#   make fuzz FUZZ_TIME=600        longer
#   make fuzz FUZZ_TARGETS=norm    one harness
#   make fuzz-build                only build build/fuzz/fuzz_*
#
# The library is compiled a third time with clang into build/fuzz/
# (coverage instrumentation for libFuzzer plus ASan and UBSan, every
# finding fatal), and each fuzz/fuzz_NAME.c is linked with libFuzzer's
# main into build/fuzz/fuzz_NAME. fuzz/run.sh copies the committed seed
# corpus fuzz/corpus/NAME/ to build/fuzz/corpus/NAME/ (the working
# corpus, which the run grows; the committed one never changes), runs the
# harness with its dictionary, and fails when a harness finds a crash
# (written to build/fuzz/crashes/). Not part of `make check`.

FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_TARGETS ?= http validate norm
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
# gcc's warnings (make build) are the project's; clang-only ones are off here.
FUZZ_CFLAGS  := $(CFLAGS_BASE) -Wno-unknown-warning-option -Wno-string-concatenation \
                -Wno-format-nonliteral \
                -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link
OBJ_FUZZ     := $(SRC_LIB:%.c=build/fuzz/%.o)
FUZZ_BINS    := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-tools

# clang and libFuzzer's runtime (Debian 12: clang, libclang-rt-dev).
fuzz-tools:
	@fuzz/install-clang.sh "$(FUZZ_CC)"

fuzz-build: deps fuzz-tools
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	@FUZZ_TIME="$(FUZZ_TIME)" fuzz/run.sh $(FUZZ_TARGETS)

build/fuzz/src/store/migrate.o: $(MIGRATION_INC)
build/fuzz/src/text/messages.o: $(MESSAGE_INC) $(MESSAGE_FILES) src/text/messages/field_words.inc

build/fuzz/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_TARGETS:%=build/fuzz/harness/fuzz_%.o): build/fuzz/harness/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BINS): build/fuzz/fuzz_%: build/fuzz/harness/fuzz_%.o $(OBJ_FUZZ)
	@echo "  LD fuzz $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

-include $(OBJ_FUZZ:.o=.d) $(FUZZ_TARGETS:%=build/fuzz/harness/fuzz_%.d)
