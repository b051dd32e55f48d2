# hvlab: one entry point.  make [all|test|demo|bench|fuzz|lint|clean] [ASAN=1] [COVERAGE=1] [V=1]
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
LDLIBS  := -lyaml -lgsl -lgslcblas -lfdt -lm

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
             scenario coloring qemu
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

# Helpers the e2e scripts run (not tests themselves).
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOLS     := $(TOOL_SRCS:%.c=$(BUILD)/%)

BENCH_SRCS := $(wildcard bench/micro/*.c)
BENCHES   := $(BENCH_SRCS:%.c=$(BUILD)/%)

# Fuzzing (fuzz/README.md): libFuzzer needs clang. The trace tools only
# need tracing/, so only that folder is built with the fuzzer's
# instrumentation; warnings are not errors here, as clang's differ.
FUZZ_CC       ?= clang
FUZZ_BUILD    := build-fuzz
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
                 $(filter-out -Werror,$(WARN)) -MMD -MP -Ihv-core/include -I.
FUZZ_OBJS     := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(wildcard tracing/*.c))
FUZZER        := $(FUZZ_BUILD)/fuzz_trace
FUZZ_SEEDER   := $(FUZZ_BUILD)/make_seeds
FUZZ_SEEDS    := $(FUZZ_BUILD)/seeds/.stamp
FUZZ_SCENARIOS := $(wildcard bench/scenarios/*.yaml)
FUZZ_SECONDS  ?= 60
# make test: a short pass with a fixed seed, bounded in inputs and time.
FUZZ_TEST_RUNS ?= 15000
FUZZ_TEST_SECONDS ?= 25

DEMO_SCENARIO ?= bench/scenarios/demo.yaml
DEMO_OUT      ?= out/demo
DEMO_COMPARE  ?= results/demo
DEMO_QEMU_SCENARIO ?= bench/scenarios/qemu-null.yaml
DEMO_QEMU_OUT ?= out/qemu-null

.PHONY: all deps test unit e2e demo bench fuzz fuzz-build lint format clean

all: $(HVLAB) $(TESTS) $(TOOLS) $(BENCHES) arm64 guests

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

# The arm64 port's device-tree reader is plain C: its host test links it.
ARM64_HOST_OBJS := $(BUILD)/hv-core/arch/arm64/fdt.o \
                   $(BUILD)/hv-core/arch/arm64/config.o
$(BUILD)/tests/unit/test_qemu_dt: TEST_EXTRA_OBJS := $(ARM64_HOST_OBJS)
$(BUILD)/tests/unit/test_qemu_dt: $(ARM64_HOST_OBJS)

# The arm64 hypervisor's own libc, built for the host under hvl_* names
# so that its test can compare it with glibc's.
ARM64_LIB_RENAMES := -Dvsnprintf=hvl_vsnprintf -Dsnprintf=hvl_snprintf \
	-Dmalloc=hvl_malloc -Dcalloc=hvl_calloc -Dfree=hvl_free \
	-Drealloc=hvl_realloc -Daligned_alloc=hvl_aligned_alloc \
	-Dheap_init=hvl_heap_init
ARM64_LIB_HOST_OBJS := $(BUILD)/arm64-lib-host/format.o \
                       $(BUILD)/arm64-lib-host/alloc.o
$(BUILD)/arm64-lib-host/%.o: hv-core/arch/arm64/lib/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (host)")
	$(Q)$(CC) $(CFLAGS) -Wno-format-nonliteral \
		-Ihv-core/arch/arm64/lib/include $(ARM64_LIB_RENAMES) -c $< -o $@
# The GIC register emulation is plain C too.
$(BUILD)/tests/unit/test_vgic_mmio: TEST_EXTRA_OBJS := \
	$(BUILD)/hv-core/arch/arm64/vgic_mmio.o
$(BUILD)/tests/unit/test_vgic_mmio: $(BUILD)/hv-core/arch/arm64/vgic_mmio.o
$(BUILD)/tests/unit/test_arm64_lib: TEST_EXTRA_OBJS := $(ARM64_LIB_HOST_OBJS)
$(BUILD)/tests/unit/test_arm64_lib: $(ARM64_LIB_HOST_OBJS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TEST_EXTRA_OBJS) $(TEST_SUPPORT_OBJS) \
		$(LIB) $(LDLIBS) -lcmocka -ljansson

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Every test: cmocka unit and conformance suites, end-to-end scripts, and
# a short fuzz pass (counted as one test). The last line is the plain
# "N passed, N failed" count over all suites.
test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)$(MAKE) --no-print-directory lint
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) FUZZ_BUILD=$(FUZZ_BUILD) \
		FUZZ_RUNS=$(FUZZ_TEST_RUNS) FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) \
		sh ci/run-tests.sh $(TESTS) -- $(E2E) fuzz/run.sh

unit: $(TESTS)
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) sh ci/run-tests.sh $(TESTS) --

e2e: $(HVLAB) $(TOOLS)
	$(Q)HVLAB=$(HVLAB) BUILD=$(BUILD) sh ci/run-tests.sh -- $(E2E)

# The main job: run the default scenario (summary printed), then compare
# it under all four schedulers with reports and plots in results/demo/,
# then run a scenario on the arm64 hypervisor under QEMU.
demo: deps
	$(Q)$(MAKE) --no-print-directory $(HVLAB)
	$(Q)$(HVLAB) run $(DEMO_SCENARIO) --backend sim --out $(DEMO_OUT) --force
	$(Q)$(HVLAB) compare $(DEMO_SCENARIO) --sched credit2,rtds,arinc653,null \
		--out $(DEMO_COMPARE) --force -q
	$(Q)$(HVLAB) report $(DEMO_OUT) -q
	@echo
	@echo "demo: the same core on the arm64 hypervisor under QEMU:"
	$(Q)$(MAKE) --no-print-directory -s arm64 guests
	$(Q)$(HVLAB) run $(DEMO_QEMU_SCENARIO) --backend qemu --out $(DEMO_QEMU_OUT) --force
	@echo
	@echo "demo: run summary above; files in $(DEMO_OUT)/ (report.html)"
	@echo "demo: scheduler comparison in $(DEMO_COMPARE)/compare.md"
	@echo "demo: QEMU run (console.log, trace.xt) in $(DEMO_QEMU_OUT)/"

# Figures, not tests: host-time throughput, and callgrind instruction
# counts (stable on a noisy machine) for the schedulers' hot paths.
bench: deps
	$(Q)$(MAKE) --no-print-directory $(BENCHES) $(HVLAB)
	$(Q)$(BUILD)/bench/micro/sim_throughput
	$(Q)$(BUILD)/bench/micro/trace_decode
	$(Q)$(BUILD)/bench/micro/stats_stream
	$(Q)sh bench/micro/trace_record.sh $(BUILD)
	$(Q)sh bench/micro/sched_decision.sh $(BUILD)

# The fuzzer over a kept corpus (build-fuzz/corpus) for FUZZ_SECONDS.
fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_KEEP=1 \
		sh fuzz/run.sh

fuzz-build: $(FUZZER) $(FUZZ_SEEDS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		-c $< -o $@

$(FUZZER): $(FUZZ_BUILD)/fuzz/fuzz_trace.o $(FUZZ_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ -ljansson -lm

$(FUZZ_SEEDER): fuzz/make_seeds.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -o $@ $<

# Seeds are cut from fresh traces of the example scenarios.
$(FUZZ_SEEDS): $(FUZZ_SEEDER) $(HVLAB) $(FUZZ_SCENARIOS)
	$(Q)rm -rf $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/traces
	$(Q)mkdir -p $(FUZZ_BUILD)/seeds
	$(Q)for s in $(FUZZ_SCENARIOS); do \
		$(HVLAB) run $$s --out $(FUZZ_BUILD)/traces/$$(basename $$s .yaml) \
			-q || exit 1; \
	done
	$(Q)$(FUZZ_SEEDER) $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/traces/*/trace.xt
	$(Q)touch $@

# The arm64 hypervisor and the guests are checked with their own libc's
# headers, so cppcheck sees what the cross compiler sees.
FREESTANDING_SRCS := $(wildcard hv-core/arch/arm64/*.[ch] \
	hv-core/arch/arm64/lib/*.c bench/guests/*.c bench/guests/runtime/*.[ch])

lint:
	@echo "  LINT    cppcheck, clang-format"
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Ihv-core/include -I. $(LIB_DIRS) cli
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Ihv-core/include -I. \
		-Ihv-core/arch/arm64/lib/include hv-core/arch/arm64 bench/guests
	$(Q)clang-format --dry-run --Werror $(LIB_SRCS) $(CLI_SRCS) \
		$(FREESTANDING_SRCS)

format:
	$(Q)clang-format -i $(LIB_SRCS) $(CLI_SRCS) $(TEST_SRCS) \
		$(FREESTANDING_SRCS)

clean:
	rm -rf build build-asan build-cov build-fuzz out

include hv-core/arch/arm64/arm64.mk
include bench/guests/guests.mk

.SECONDARY:
-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
