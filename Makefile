# bonrun - build, test, demo and benchmarks.  See README.md.
#
#   make          build ./bonrun (installs missing Debian packages when root)
#   make demo     run the offline example experiment (configs/demo.json)
#   make test     unit and end-to-end tests under ASan + UBSan
#   make bench    benchmarks of every hot path (throughput, medians)
#   make fuzz     bounded fuzz runs of the parsers (clang libFuzzer)
#   make check    the layer rule, function lengths, extra warnings
#
# Sources are picked up by folder: a new foo/bar.c needs no edit here.

CC       ?= cc
CLANG    ?= clang
PKGS     := libcurl gsl libcjson libmicrohttpd gmp zlib
# Evaluated lazily, after the deps step has had its chance to install them.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -I. -pthread $(PKG_CFLAGS)
REL_CFLAGS  = -O2 -g
SAN_CFLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined
CHECK_WARN  = -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 \
              -Werror
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer \
              -fsanitize=fuzzer-no-link,address,undefined
LIBS        = $(PKG_LIBS) -lm -pthread

# Quiet by default: one short line per file; `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

SRC_DIRS   := util gold stats sim net ingest policy proxy plots runner
SRCS       := $(wildcard $(addsuffix /*.c,$(SRC_DIRS)))
MAIN       := runner/main.c
LIB_SRCS   := $(filter-out $(MAIN),$(SRCS))
TEST_SRCS  := $(wildcard tests/unit/*.c)
BENCH_SRCS := $(wildcard tests/bench/*.c)
FUZZ_SRCS  := $(wildcard tests/fuzz/*.c)

REL_LIB   := $(LIB_SRCS:%.c=build/rel/%.o)
SAN_LIB   := $(LIB_SRCS:%.c=build/asan/%.o)
FUZZ_LIB  := $(LIB_SRCS:%.c=build/fuzz/%.o)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/fuzz_%)
DEPS_OK   := build/.deps-ok

FUZZ_SECONDS ?= 60

.PHONY: all demo test bench fuzz check clean deps
# keep object files that pattern chains would otherwise delete
.SECONDARY:
all: bonrun

deps: $(DEPS_OK)
$(DEPS_OK): deps.sh
	@sh ./deps.sh
	@mkdir -p build && touch $@

bonrun: build/rel/runner/main.o $(REL_LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -o $@ $^ $(LIBS)

build/asan/bonrun: build/asan/runner/main.o $(SAN_LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -o $@ $^ $(LIBS)

build/asan/unit: $(TEST_SRCS:%.c=build/asan/%.o) $(SAN_LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -o $@ $^ $(LIBS)

build/rel/bench: $(BENCH_SRCS:%.c=build/rel/%.o) $(REL_LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -o $@ $^ $(LIBS)

build/rel/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CLANG,$@)
	$(Q)$(CLANG) $(BASE_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/fuzz_%: build/fuzz/tests/fuzz/%.o $(FUZZ_LIB)
	$(call say,LINK,$@)
	$(Q)$(CLANG) $(BASE_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

demo: bonrun
	./bonrun run configs/demo.json

test: bonrun build/asan/bonrun build/asan/unit
	@sh tests/run.sh

bench: bonrun build/rel/bench
	@sh tests/bench/run.sh

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# The house rules: the layer rule, no function over 120 lines, and zero
# warnings with the extra warnings on (docs/ARCHITECTURE.md).
check: | $(DEPS_OK)
	@sh tests/check/layers.sh
	@sh tests/check/lengths.sh 120
	@for f in $(SRCS); do \
	  $(CC) $(BASE_CFLAGS) $(CHECK_WARN) -fsyntax-only $$f || exit 1; \
	done; echo "warnings: ok ($(words $(SRCS)) files)"

clean:
	rm -rf build bonrun

-include $(shell find build -name '*.d' 2>/dev/null)
