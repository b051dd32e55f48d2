# hvlab: one entry point.  make [all|test|demo|bench|lint|clean] [ASAN=1] [COVERAGE=1] [V=1]
#
# Sources are collected per folder, so a new module only needs its file in
# the folder of its concern. Every library source is compiled once into
# libhvlab.a; the hvlab command, the tests and the benchmarks link it.

CC      ?= gcc
BUILD   ?= build
ifeq ($(ASAN),1)
BUILD   := $(BUILD)-asan
endif
ifeq ($(COVERAGE),1)
BUILD   := $(BUILD)-cov
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) -MMD -MP -Ihv-core/include -I.
LDLIBS  := -lyaml -lm

ifeq ($(ASAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
           -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(COVERAGE),1)
CFLAGS  += --coverage
LDFLAGS += --coverage
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_DIRS  := hv-core/core hv-core/arch/sim schedulers tracing analysis \
             scenario coloring
LIB_SRCS  := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libhvlab.a

CLI_SRCS  := $(wildcard cli/*.c)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
HVLAB     := $(BUILD)/hvlab

TEST_SRCS := $(wildcard tests/unit/test_*.c tests/conformance/test_*.c)
TEST_SUPPORT := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)
TESTS     := $(TEST_SRCS:%.c=$(BUILD)/%)
E2E       := $(sort $(wildcard tests/e2e/*.sh))

BENCH_SRCS := $(wildcard bench/micro/*.c)
BENCHES   := $(BENCH_SRCS:%.c=$(BUILD)/%)

DEMO_SCENARIO ?= bench/scenarios/demo.yaml
DEMO_OUT      ?= out/demo

.PHONY: all deps test unit e2e demo bench lint format clean

all: $(HVLAB) $(TESTS) $(BENCHES)

# Installs missing Debian packages; prints nothing when all are present.
deps:
	$(Q)sh ci/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(HVLAB): $(CLI_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJS) $(LIB) $(LDLIBS) -lcmocka

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Every test: cmocka unit and conformance suites, then end-to-end scripts.
# The last line is the plain "N passed, N failed" count over all suites.
test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory lint
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) sh ci/run-tests.sh $(TESTS) -- $(E2E)

unit: $(TESTS)
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) sh ci/run-tests.sh $(TESTS) --

e2e: $(HVLAB)
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) sh ci/run-tests.sh -- $(E2E)

demo: deps
	$(Q)$(MAKE) --no-print-directory $(HVLAB)
	$(Q)$(HVLAB) run $(DEMO_SCENARIO) --backend sim --out $(DEMO_OUT) --force

# Figures, not tests: host-time throughput, and callgrind instruction
# counts (stable on a noisy machine) for the schedulers' hot paths.
bench: deps
	$(Q)$(MAKE) --no-print-directory $(BENCHES) $(HVLAB)
	$(Q)$(BUILD)/bench/micro/sim_throughput
	$(Q)sh bench/micro/sched_decision.sh $(BUILD)

lint:
	@echo "  LINT    cppcheck, clang-format"
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Ihv-core/include -I. $(LIB_DIRS) cli
	$(Q)clang-format --dry-run --Werror $(LIB_SRCS) $(CLI_SRCS)

format:
	$(Q)clang-format -i $(LIB_SRCS) $(CLI_SRCS) $(TEST_SRCS)

clean:
	rm -rf build build-asan build-cov out

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
