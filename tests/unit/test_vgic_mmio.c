/*
 * The arm64 hypervisor's emulated GIC registers (hv-core/arch/arm64/
 * vgic_mmio.c), on the host: what a guest reads back after it writes,
 * which frame belongs to which vCPU, and that an address outside the
 * emulated frames is not claimed (the hypervisor then stops the domain).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <hv/guest_abi.h>

#include "hv-core/arch/arm64/arm64.h"

struct fixture {
	struct vcpu v[2];
	struct domain dom;
	struct a64_domain d;
	struct a64_vcpu c[2];
};

static struct fixture fx;

static int setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	fx.dom.nr_vcpus = 2;
	fx.dom.vcpus = fx.v;
	fx.d.dom = &fx.dom;
	for (unsigned int i = 0; i < 2; i++) {
		fx.v[i].vcpu_id = i;
		fx.v[i].domain = &fx.dom;
		fx.v[i].port_priv = &fx.c[i];
		fx.c[i].v = &fx.v[i];
		fx.c[i].d = &fx.d;
		fx.c[i].gic.asleep = true;
	}
	*state = &fx;
	return 0;
}

static uint64_t rd(unsigned int vcpu, uint64_t ipa, unsigned int size)
{
	uint64_t v = 0xdeadbeefull;

	assert_true(vgic_mmio(&fx.c[vcpu], ipa, false, size, &v));
	return v;
}

static void wr(unsigned int vcpu, uint64_t ipa, unsigned int size, uint64_t v)
{
	assert_true(vgic_mmio(&fx.c[vcpu], ipa, true, size, &v));
}

#define GICD GUEST_GICD_IPA
#define GICR(n) (GUEST_GICR_IPA + (uint64_t)(n)*0x20000)
#define SGI 0x10000

static void test_distributor(void **state)
{
	(void)state;
	assert_int_equal(rd(0, GICD + 0xffe8, 4), 3u << 4); /* GICv3 */
	assert_int_equal(rd(0, GICD + 0x4, 4) & 0x1f, 2); /* 96 lines */
	wr(0, GICD + 0x0, 4, 0x3); /* EnableGrp0/1 */
	assert_int_equal(rd(1, GICD + 0x0, 4), 0x3 | 1u << 4 | 1u << 6);
	wr(0, GICD + 0x104, 4, 0x5); /* ISENABLER1: SPIs 32, 34 */
	wr(1, GICD + 0x184, 4, 0x1); /* ICENABLER1: SPI 32 */
	assert_int_equal(rd(0, GICD + 0x104, 4), 0x4);
	assert_int_equal(rd(0, GICD + 0x184, 4), 0x4);
	assert_int_equal(rd(0, GICD + 0x6100, 8), 0); /* IROUTER: RAZ */
}

static void test_redistributors(void **state)
{
	(void)state;
	/* TYPER: the affinity is the vCPU's; Last only on the last frame */
	assert_int_equal(rd(0, GICR(0) + 0x8, 8), 0);
	assert_int_equal(rd(0, GICR(1) + 0x8, 8),
			 1ull << 32 | 1u << 8 | 1u << 4);
	/* WAKER: asleep until the guest clears ProcessorSleep */
	assert_int_equal(rd(0, GICR(0) + 0x14, 4), 6);
	wr(0, GICR(0) + 0x14, 4, 0);
	assert_int_equal(rd(0, GICR(0) + 0x14, 4), 0);
	assert_int_equal(rd(0, GICR(1) + 0x14, 4), 6); /* the other one */
	/* enables of SGIs/PPIs, per vCPU */
	wr(0, GICR(0) + SGI + 0x100, 4, 1u << GUEST_VTIMER_INTID);
	assert_int_equal(fx.c[0].gic.enabled, 1u << GUEST_VTIMER_INTID);
	assert_int_equal(fx.c[1].gic.enabled, 0);
	wr(1, GICR(0) + SGI + 0x180, 4, 1u << GUEST_VTIMER_INTID);
	assert_int_equal(fx.c[0].gic.enabled, 0);
	/* priorities, byte and word accesses */
	wr(0, GICR(0) + SGI + 0x400 + 27, 1, 0x80);
	assert_int_equal(fx.c[0].gic.prio[27], 0x80);
	wr(0, GICR(0) + SGI + 0x418, 4, 0x44332211);
	assert_int_equal(rd(0, GICR(0) + SGI + 0x418, 4), 0x44332211);
	assert_int_equal(rd(0, GICR(0) + SGI + 0x41b, 1), 0x44); /* byte 27 */
	/* groups and trigger configuration are kept */
	wr(0, GICR(0) + SGI + 0x80, 4, 0xffff0000u);
	assert_int_equal(rd(0, GICR(0) + SGI + 0x80, 4), 0xffff0000u);
	wr(0, GICR(0) + SGI + 0xc04, 4, 0x2);
	assert_int_equal(rd(0, GICR(0) + SGI + 0xc04, 4), 0x2);
}

static void test_outside_is_not_claimed(void **state)
{
	uint64_t v = 0;

	(void)state;
	/* a third redistributor frame: this domain has two vCPUs */
	assert_false(vgic_mmio(&fx.c[0], GICR(2), false, 4, &v));
	assert_false(vgic_mmio(&fx.c[0], GUEST_UART_IPA, true, 4, &v));
	assert_false(vgic_mmio(&fx.c[0], GICD - 4, false, 4, &v));
	assert_false(vgic_mmio(&fx.c[0], GUEST_RAM_IPA, false, 8, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_distributor, setup),
	    cmocka_unit_test_setup(test_redistributors, setup),
	    cmocka_unit_test_setup(test_outside_is_not_claimed, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
