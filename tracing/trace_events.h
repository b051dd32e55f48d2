/*
 * Every trace event hvlab produces or decodes, defined once.
 *
 * Record layout (Xen's struct t_rec, host-endian):
 *
 *   31 30..28 27.............0
 *   +-+------+----------------+
 *   |C| n    | event id       |   C = 64-bit timestamp follows
 *   +-+------+----------------+
 *   [ tsc_lo ][ tsc_hi ]          only when C is set
 *   [ d0 ] ... [ d(n-1) ]         0..7 data words
 *
 * Event IDs: bits 27..16 class, 15..12 sub-class, 11..0 event. Xen's
 * scheduler events keep Xen's IDs and payloads so xenalyze can read our
 * traces. Events Xen lacks live in class 0x0100 (bit 24), which Xen leaves
 * free; xenalyze shows them as unknown and skips them.
 *
 * "dv" below is Xen's packed (dom,vcpu) word: dom << 16 | vcpu. "vd" is
 * the other packing, struct {u16 domid; u16 vcpuid} on little-endian
 * (vcpu << 16 | dom), which Xen uses in LOST_RECORDS.
 *
 * X(NAME, id, nr_words, "field names, comma separated")
 * A field name ending in "_lo" followed by one ending in "_hi" is one u64.
 */
#ifndef HV_TRACE_EVENTS_H
#define HV_TRACE_EVENTS_H

#include <stdint.h>

#define TRC_EXTRA_SHIFT 28
#define TRC_EXTRA_MAX 7
#define TRC_CYCLE_FLAG (1u << 31)
#define TRC_EVENT_MASK 0x0fffffffu

#define TRC_CLS_GEN 0x0001f000u
#define TRC_CLS_SCHED 0x0002f000u
#define TRC_CLS_HVLAB 0x0100f000u

/* Xen: TRC_SCHED_RUNSTATE_CHANGE | old << 8 | new << 4 */
#define TRC_RUNSTATE_BASE 0x00021001u
#define TRC_RUNSTATE_ID(old, new) \
	(TRC_RUNSTATE_BASE | ((uint32_t)(old) << 8) | ((uint32_t)(new) << 4))

/* The hvlab header record's data[0]; bump when a payload changes. */
#define HVLAB_TRACE_VERSION 1

enum hvlab_backend {
	HVLAB_BACKEND_SIM = 0,
	HVLAB_BACKEND_QEMU = 1,
	HVLAB_BACKEND_XEN = 2,
};

/* A u64 payload field stored as "x_lo,x_hi" words. */
static inline uint64_t trace_u64(const uint32_t *lo_hi)
{
	return (uint64_t)lo_hi[1] << 32 | lo_hi[0];
}

/* The name reports and summaries give a trace header's backend. */
static inline const char *hvlab_backend_name(unsigned int backend)
{
	switch (backend) {
	case HVLAB_BACKEND_SIM: return "sim";
	case HVLAB_BACKEND_QEMU: return "qemu";
	case HVLAB_BACKEND_XEN: return "xen";
	default: return "unknown";
	}
}

/* Xen generic class. */
#define TRACE_EVENTS_GEN(X)                                                   \
	X(LOST_RECORDS, 0x0001f001u, 4, "count,vd,first_tsc_lo,first_tsc_hi") \
	X(WRAP_BUFFER, 0x0001f002u, 0, "")                                    \
	X(CPU_CHANGE, 0x0001f003u, 2, "cpu,bytes")

/*
 * Xen core scheduler events (TRC_SCHED_MIN / TRC_SCHED_VERBOSE). The 16
 * RUNSTATE_CHANGE IDs are computed with TRC_RUNSTATE_ID, not listed.
 */
#define TRACE_EVENTS_SCHED(X)                                              \
	X(CONTINUE_RUNNING, 0x00021002u, 1, "dv")                          \
	X(DOM_ADD, 0x00028001u, 1, "dom")                                  \
	X(DOM_REM, 0x00028002u, 1, "dom")                                  \
	X(SLEEP, 0x00028003u, 2, "dom,vcpu")                               \
	X(WAKE, 0x00028004u, 2, "dom,vcpu")                                \
	X(YIELD, 0x00028005u, 2, "dom,vcpu")                               \
	X(BLOCK, 0x00028006u, 2, "dom,vcpu")                               \
	X(SWITCH, 0x0002800au, 4, "prev_dom,prev_vcpu,next_dom,next_vcpu") \
	X(SWITCH_INFPREV, 0x0002800eu, 3, "dom,vcpu,ran_ns")               \
	X(SWITCH_INFNEXT, 0x0002800fu, 4, "dom,vcpu,waited_ns,slice_ns")   \
	X(SWITCH_INFCONT, 0x00028011u, 4, "dom,vcpu,ran_ns,slice_ns")

/* Xen null scheduler class events (TRC_SCHED_CLASS_EVT(SNULL, n)). */
#define TRACE_EVENTS_NULL(X)                                     \
	X(NULL_PICKED_CPU, 0x00022a01u, 2, "dv,cpu")             \
	X(NULL_UNIT_ASSIGN, 0x00022a02u, 2, "dv,cpu")            \
	X(NULL_UNIT_DEASSIGN, 0x00022a03u, 2, "dv,cpu")          \
	X(NULL_MIGRATE, 0x00022a04u, 2, "dv,old_new_cpu")        \
	X(NULL_SCHEDULE, 0x00022a05u, 2, "tasklet_cpu,unit_dom") \
	X(NULL_TASKLET, 0x00022a06u, 0, "")

/*
 * Xen credit2 class events (TRC_SCHED_CLASS_EVT(CSCHED2, n)), Xen's
 * payloads. credit, budget, delta, score: i32 ns (budget INT32_MIN: no
 * cap); tickled_cpu -1: none. Packed u16 pairs, low half first: rq_trq,
 * lrq_orq (runqueue ids), rq_cpu (runqueue, new pCPU), cpu_rq,
 * rq_max_weight. SCHEDULE flags: u8 tasklet, idle, smt_idle, tickled.
 * UPDATE_RUNQ_LOAD load_rq_shift: u16 load, u8 rq, u8 precision shift.
 */
#define TRACE_EVENTS_CREDIT2(X)                                               \
	X(CREDIT2_CREDIT_BURN, 0x00022203u, 4, "dv,credit,budget,delta")      \
	X(CREDIT2_TICKLE_CHECK, 0x00022205u, 3, "dv,credit,score")            \
	X(CREDIT2_TICKLE, 0x00022206u, 1, "cpu")                              \
	X(CREDIT2_CREDIT_RESET, 0x00022207u, 3, "dv,credit_start,credit_end") \
	X(CREDIT2_RUNQ_ASSIGN, 0x0002220au, 2, "dv,rq")                       \
	X(CREDIT2_UPDATE_UNIT_LOAD, 0x0002220bu, 4,                           \
	  "avgload_lo,avgload_hi,dv,shift")                                   \
	X(CREDIT2_UPDATE_RUNQ_LOAD, 0x0002220cu, 6,                           \
	  "avgload_lo,avgload_hi,b_avgload_lo,b_avgload_hi,"                  \
	  "load_rq_shift,pad")                                                \
	X(CREDIT2_TICKLE_NEW, 0x0002220du, 3, "dv,processor,credit")          \
	X(CREDIT2_RUNQ_MAX_WEIGHT, 0x0002220eu, 1, "rq_max_weight")           \
	X(CREDIT2_MIGRATE, 0x0002220fu, 2, "dv,rq_trq")                       \
	X(CREDIT2_LOAD_CHECK, 0x00022210u, 2, "lrq_orq,load_delta")           \
	X(CREDIT2_LOAD_BALANCE, 0x00022211u, 6,                               \
	  "l_avgload_lo,l_avgload_hi,o_avgload_lo,o_avgload_hi,"              \
	  "lrq_orq,pad")                                                      \
	X(CREDIT2_PICKED_CPU, 0x00022213u, 4,                                 \
	  "b_avgload_lo,b_avgload_hi,dv,rq_cpu")                              \
	X(CREDIT2_RUNQ_CANDIDATE, 0x00022214u, 3, "dv,tickled_cpu,credit")    \
	X(CREDIT2_SCHEDULE, 0x00022215u, 2, "cpu_rq,flags")                   \
	X(CREDIT2_RATELIMIT, 0x00022216u, 2, "dv,runtime")                    \
	X(CREDIT2_RUNQ_CAND_CHECK, 0x00022217u, 1, "dv")

/*
 * Xen RTDS class events (TRC_SCHED_CLASS_EVT(RTDS, n)), Xen's payloads.
 * SCHEDULE packs u16 cpu, u8 tasklet, u4 tickled, u4 idle (of prev).
 * BUDGET_BURN's delta is the ns charged; has_extratime is 0 or 1.
 */
#define TRACE_EVENTS_RTDS(X)                                               \
	X(RTDS_TICKLE, 0x00022801u, 1, "cpu")                              \
	X(RTDS_RUNQ_PICK, 0x00022802u, 5,                                  \
	  "dv,deadline_lo,deadline_hi,budget_lo,budget_hi")                \
	X(RTDS_BUDGET_BURN, 0x00022803u, 6,                                \
	  "dv,budget_lo,budget_hi,delta,priority_level,has_extratime")     \
	X(RTDS_BUDGET_REPLENISH, 0x00022804u, 6,                           \
	  "dv,priority_level,deadline_lo,deadline_hi,budget_lo,budget_hi") \
	X(RTDS_SCHED_TASKLET, 0x00022805u, 0, "")                          \
	X(RTDS_SCHEDULE, 0x00022806u, 1, "cpu_tasklet_tickled_idle")

/*
 * hvlab's own class. Sub-class 1: run metadata; 2: ARINC653; 3: interrupts
 * as the hypervisor sees them; 4: what the guest model or guest reports.
 *
 * HEADER is the first record of every hvlab file: version, clock in Hz,
 * pCPU count, backend (enum hvlab_backend), FNV-1a hash of the scenario.
 * NAME_* carry up to 24 bytes of NUL-padded name in words 1..6.
 * TASK_INFO: "dt" = dom << 16 | task index within the domain.
 * IRQ ids are per domain: "di" = dom << 16 | irq index within the domain.
 * NULL_WAITING: a vCPU the null scheduler could not give a pCPU (FIFO).
 * TRAP: a synchronous guest exit into the arm64 hypervisor, with ESR_EL2.
 * RUN_END: written once, last, with the simulated end time; the span of a
 * run is [0, end].
 */
#define TRACE_EVENTS_HVLAB(X)                                            \
	X(HVLAB_HEADER, 0x01001001u, 7,                                  \
	  "version,hz_lo,hz_hi,pcpus,backend,hash_lo,hash_hi")           \
	X(HVLAB_NAME_DOMAIN, 0x01001002u, 7, "dom,name")                 \
	X(HVLAB_NAME_TASK, 0x01001003u, 7, "dt,name")                    \
	X(HVLAB_NAME_IRQ, 0x01001004u, 7, "di,name")                     \
	X(HVLAB_TASK_INFO, 0x01001005u, 6,                               \
	  "dt,vcpu,period_ns,deadline_lo,deadline_hi,priority")          \
	X(HVLAB_NULL_WAITING, 0x01001006u, 1, "dv")                      \
	X(HVLAB_RUN_END, 0x01001007u, 2, "end_lo,end_hi")                \
	X(HVLAB_A653_WINDOW, 0x01002001u, 7,                             \
	  "cpu,index,dv,len_lo,len_hi,start_lo,start_hi")                \
	X(HVLAB_IRQ_RAISE, 0x01003001u, 2, "di,dv")                      \
	X(HVLAB_VIRQ_INJECT, 0x01003002u, 2, "di,dv")                    \
	X(HVLAB_GUEST_IRQ_ENTRY, 0x01004001u, 4, "di,dv,lat_lo,lat_hi")  \
	X(HVLAB_GUEST_IRQ_EXIT, 0x01004002u, 4, "di,dv,resp_lo,resp_hi") \
	X(HVLAB_TASK_RELEASE, 0x01004003u, 2, "dt,job")                  \
	X(HVLAB_TASK_COMPLETE, 0x01004004u, 5,                           \
	  "dt,job,resp_lo,resp_hi,missed")                               \
	X(HVLAB_TRAP, 0x01008001u, 2, "dv,esr")

#define TRACE_EVENTS(X)         \
	TRACE_EVENTS_GEN(X)     \
	TRACE_EVENTS_SCHED(X)   \
	TRACE_EVENTS_NULL(X)    \
	TRACE_EVENTS_CREDIT2(X) \
	TRACE_EVENTS_RTDS(X)    \
	TRACE_EVENTS_HVLAB(X)

enum trace_event_id {
#define X(name, id, n, fields) TRC_##name = id,
	TRACE_EVENTS(X)
#undef X
};

/* Payload word counts, checked at compile time by the producer helpers. */
enum trace_event_words {
#define X(name, id, n, fields) TRC_##name##_WORDS = n,
	TRACE_EVENTS(X)
#undef X
};

static inline uint32_t trace_dv(unsigned int dom, unsigned int vcpu)
{
	return (uint32_t)dom << 16 | (vcpu & 0xffffu);
}

#endif /* HV_TRACE_EVENTS_H */
