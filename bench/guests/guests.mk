# The bare-metal EL1 bench guests (bench/guests/README.md): flat arm64
# Image binaries in $(GUESTS_OUT). A fragment for the top Makefile to
# include; it also works alone, from the repository root:
#
#     make -f bench/guests/guests.mk guests [CROSS=aarch64-linux-gnu-] [V=1]
#
# Every name it defines starts with GUESTS_ (or is the guests and
# guests-clean targets), so it cannot collide with the includer's.

CROSS ?= aarch64-linux-gnu-
GUESTS_OUT ?= build/arm64/guests
GUESTS_SRC := bench/guests
GUESTS_NAMES := irqlat hog tasks probe

GUESTS_CC := $(CROSS)gcc
GUESTS_LD := $(CROSS)ld
GUESTS_OBJCOPY := $(CROSS)objcopy
GUESTS_READELF := $(CROSS)readelf

# Position independent (loaded anywhere 4 KiB aligned), MMU off (no
# unaligned accesses), no FP/SIMD (the vectors do not save it), no libc.
GUESTS_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -fpie -fno-plt \
	-fvisibility=hidden -mstrict-align -mgeneral-regs-only \
	-mbranch-protection=none -fno-stack-protector -fno-common \
	-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-fno-unwind-tables \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 \
	-MMD -MP -Ihv-core/include -I$(GUESTS_SRC)/runtime
GUESTS_LDFLAGS := -pie --no-dynamic-linker -z norelro -z noexecstack \
	--build-id=none --no-warn-rwx-segments -T $(GUESTS_SRC)/guest.lds

ifeq ($(V),1)
GUESTS_Q :=
else
GUESTS_Q := @
endif

GUESTS_RT_C := $(wildcard $(GUESTS_SRC)/runtime/*.c)
GUESTS_RT_S := $(wildcard $(GUESTS_SRC)/runtime/*.S)
GUESTS_RT_C_OBJS := $(patsubst $(GUESTS_SRC)/%.c,$(GUESTS_OUT)/obj/%.o,$(GUESTS_RT_C))
GUESTS_S_OBJS := $(patsubst $(GUESTS_SRC)/%.S,$(GUESTS_OUT)/obj/%.o,$(GUESTS_RT_S))
GUESTS_RT_OBJS := $(GUESTS_RT_C_OBJS) $(GUESTS_S_OBJS)
GUESTS_MAIN_OBJS := $(GUESTS_NAMES:%=$(GUESTS_OUT)/obj/%.o)
GUESTS_C_OBJS := $(GUESTS_RT_C_OBJS) $(GUESTS_MAIN_OBJS)
GUESTS_ELFS := $(GUESTS_NAMES:%=$(GUESTS_OUT)/%.elf)
GUESTS_BINS := $(GUESTS_NAMES:%=$(GUESTS_OUT)/%.bin)

# Included before the includer's first rule, do not become its default.
GUESTS_SAVED_GOAL := $(.DEFAULT_GOAL)

.PHONY: guests guests-clean

guests: $(GUESTS_BINS)

$(GUESTS_C_OBJS): $(GUESTS_OUT)/obj/%.o: $(GUESTS_SRC)/%.c
	@mkdir -p $(dir $@)
	@$(if $(GUESTS_Q),echo "  CC      $<")
	$(GUESTS_Q)$(GUESTS_CC) $(GUESTS_CFLAGS) -c $< -o $@

$(GUESTS_S_OBJS): $(GUESTS_OUT)/obj/%.o: $(GUESTS_SRC)/%.S
	@mkdir -p $(dir $@)
	@$(if $(GUESTS_Q),echo "  AS      $<")
	$(GUESTS_Q)$(GUESTS_CC) $(GUESTS_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# The image must need no relocation but R_AARCH64_RELATIVE, which head.S
# applies (and R_AARCH64_NONE, which it skips).
$(GUESTS_ELFS): $(GUESTS_OUT)/%.elf: $(GUESTS_OUT)/obj/%.o $(GUESTS_RT_OBJS) \
		$(GUESTS_SRC)/guest.lds
	@$(if $(GUESTS_Q),echo "  LD      $@")
	$(GUESTS_Q)$(GUESTS_LD) $(GUESTS_LDFLAGS) -o $@ $< $(GUESTS_RT_OBJS)
	$(GUESTS_Q)if $(GUESTS_READELF) -rW $@ | grep 'R_AARCH64_' | \
		grep -v -e 'R_AARCH64_RELATIVE' -e 'R_AARCH64_NONE'; then \
		echo "$@: relocations head.S cannot apply (above)"; \
		rm -f $@; exit 1; \
	fi

$(GUESTS_BINS): %.bin: %.elf
	@$(if $(GUESTS_Q),echo "  OBJCOPY $@")
	$(GUESTS_Q)$(GUESTS_OBJCOPY) -O binary $< $@

guests-clean:
	rm -rf $(GUESTS_OUT)

-include $(wildcard $(GUESTS_OUT)/obj/*.d $(GUESTS_OUT)/obj/runtime/*.d)

# Last, after every rule this file adds (the .d files add some too).
ifeq ($(notdir $(firstword $(MAKEFILE_LIST))),guests.mk)
.DEFAULT_GOAL := guests
else
.DEFAULT_GOAL := $(GUESTS_SAVED_GOAL)
endif
