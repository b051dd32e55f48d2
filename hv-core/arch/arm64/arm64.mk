# The arm64 hypervisor image (docs/arm64.md), included by the top Makefile.
#
# The core, the schedulers and the trace rings are compiled unchanged
# for a freestanding aarch64 target; the port (this folder) and a small
# libc (lib/) complete it. Output: build/arm64/hvlab.elf.

CROSS        ?= aarch64-linux-gnu-
ARM64_CC     := $(CROSS)gcc
ARM64_BUILD  ?= build/arm64
ARM64_ELF    := $(ARM64_BUILD)/hvlab.elf
ARM64_DIR    := hv-core/arch/arm64
ARM64_GCCINC := $(shell $(ARM64_CC) -print-file-name=include 2>/dev/null)

ARM64_SRCS   := $(wildcard hv-core/core/*.c) $(wildcard schedulers/*.c) \
                tracing/trace_ring.c tracing/trace_buf.c \
                $(wildcard $(ARM64_DIR)/*.c) $(wildcard $(ARM64_DIR)/lib/*.c)
ARM64_ASM    := $(wildcard $(ARM64_DIR)/*.S)
ARM64_OBJS   := $(ARM64_SRCS:%.c=$(ARM64_BUILD)/%.o) \
                $(ARM64_ASM:%.S=$(ARM64_BUILD)/%.o)

# -mgeneral-regs-only: the hypervisor never touches FP/SIMD registers, so
# a guest's are only saved and restored at a context switch.
ARM64_CFLAGS := -std=gnu11 -O2 -g $(WARN) -MMD -MP -ffreestanding -nostdinc \
                -isystem $(ARM64_GCCINC) -I$(ARM64_DIR)/lib/include \
                -Ihv-core/include -I. -mgeneral-regs-only \
                -mno-outline-atomics -fno-pie -fno-stack-protector \
                -fno-common -ffunction-sections -fdata-sections \
                -DHV_ARM64 $(ARM64_EXTRA)

.PHONY: arm64 arm64-release
arm64: $(ARM64_ELF)

# The release image (machine.qemu.build: release): -DNDEBUG, as
# distributions build Xen, for figures comparable with theirs.
arm64-release:
	$(Q)$(MAKE) --no-print-directory build/arm64-release/hvlab.elf \
		ARM64_BUILD=build/arm64-release ARM64_EXTRA=-DNDEBUG

$(ARM64_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC64    $<")
	$(Q)$(ARM64_CC) $(ARM64_CFLAGS) -c $< -o $@

$(ARM64_BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS64    $<")
	$(Q)$(ARM64_CC) $(ARM64_CFLAGS) -c $< -o $@

$(ARM64_ELF): $(ARM64_OBJS) $(ARM64_DIR)/link.ld
	@$(if $(Q),echo "  LD64    $@")
	$(Q)$(ARM64_CC) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,--gc-sections \
		-T $(ARM64_DIR)/link.ld -o $@ $(ARM64_OBJS) -lgcc

-include $(shell find $(ARM64_BUILD) -name '*.d' 2>/dev/null)
