/*
 * Per-pCPU trace rings, laid out as Xen lays out its trace buffers, and the
 * xentrace-style consumer that drains them.
 *
 * One ring per pCPU: an 8-byte header {u32 cons; u32 prod;} followed by
 * data_size bytes of records (Xen's struct t_buf). prod and cons are byte
 * offsets that run modulo 2 * data_size, so a full ring (prod - cons ==
 * data_size) and an empty one (prod == cons) differ; the byte position is
 * the offset modulo data_size. The producer (the traced pCPU) writes only
 * prod; the consumer writes only cons. See docs/trace-format.md, "Rings".
 *
 * Records are Xen's t_rec (tracing/trace_events.h), never split across the
 * ring's end: a WRAP_BUFFER filler takes the tail instead. Records that do
 * not fit are counted per pCPU and announced by a LOST_RECORDS note in
 * front of the next record that fits.
 *
 * Concurrency: one producer per ring (the pCPU itself, with interrupts
 * masked on hardware) and one consumer per ring, possibly on another CPU;
 * the two only share the ring header and data, ordered by C11 atomics.
 * The control calls (enable, disable, masks, lost notes) run where the
 * producers are quiet: at set-up, or on the pCPU itself.
 *
 * Robustness: the header is shared with the consumer, so neither side
 * trusts it. The producer addresses the ring through its own copy of
 * prod and checks the header whenever it reads cons; the consumer checks
 * it on every drain. A bogus prod or cons (unaligned, not below
 * 2 * data_size, more data than fits, or a prod the producer did not
 * write) stops tracing and is kept for trace_ring_error(). A prod
 * scribbled between two fast-path records is simply overwritten.
 */
#ifndef HV_TRACE_RING_H
#define HV_TRACE_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_ring;

/* Xen's struct t_buf: the shared header in front of each ring's data. */
struct trace_ring_buf {
	_Atomic uint32_t cons; /* written by the consumer only */
	_Atomic uint32_t prod; /* written by the producer only */
	unsigned char data[]; /* data_size bytes of records */
};

/* xentrace's default request: 32 pages per pCPU, header included. */
#define TRACE_RING_DEFAULT_BYTES (32 * 4096)

/*
 * Smallest data area: a lost-records note and the largest record, each
 * with the worst wrap filler in front, always fit in an empty ring.
 */
#define TRACE_RING_MIN_DATA 128u

/* Largest data area: 1 GiB, so offsets near 2 * data_size never wrap. */
#define TRACE_RING_MAX_DATA (1u << 30)

/* Xen's default event mask, TRC_ALL: every class, every sub-class. */
#define TRACE_RING_MASK_ALL 0x0ffff000u

/* LOST_RECORDS' domain when nobody says who runs: the idle domain. */
#define TRACE_RING_IDLE_DOMID 0x7fffu

/*
 * Called by the producer, after its record is complete, when its ring's
 * unconsumed data crosses half the ring (Xen's VIRQ_TBUF). May drain
 * synchronously: the producer looks at cons again afterwards.
 */
typedef void (*trace_ring_notify_fn)(void *ctx, unsigned int cpu);

/*
 * Who runs on @cpu, for a LOST_RECORDS note (Xen: current's domain and
 * vCPU). Only called when a note is written, never on the fast path.
 */
typedef void (*trace_ring_current_fn)(void *ctx, unsigned int cpu,
				      uint16_t *domid, uint16_t *vcpuid);

/*
 * Receives one window of @cpu's ring: @a then @b (@blen 0 unless the data
 * wrapped), each whole records; together they are what xentrace writes
 * after one CPU-change header. The bytes are only valid during the call.
 */
typedef void (*trace_ring_sink_fn)(void *ctx, unsigned int cpu, const void *a,
				   size_t alen, const void *b, size_t blen);

/*
 * Per-pCPU counters. Records offered and not filtered out = stored +
 * lost. stored is counted by the consumer (records drained, plus those
 * still in the ring, minus notes and fillers), so the fast path keeps no
 * counter.
 */
struct trace_ring_stats {
	uint64_t stored; /* records written (not counting notes, fillers) */
	uint64_t lost; /* records dropped because the ring was full */
	uint64_t notes; /* LOST_RECORDS notes written */
	uint64_t fillers; /* WRAP_BUFFER fillers written */
	uint64_t drained; /* bytes handed to the consumer */
	uint64_t pending; /* lost, not yet announced by a note */
	uint32_t max_window; /* largest window the consumer took */
};

/* Why a ring was declared corrupt (first detection only). */
struct trace_ring_error {
	bool set;
	unsigned int cpu;
	uint32_t prod, cons; /* the header values that were seen */
	const char *what; /* static string, e.g. "cons not 4-byte aligned" */
};

/*
 * trace_ring_create() - allocate @nr_cpus rings of @ring_bytes each, the
 * 8-byte header included (Xen: pages * PAGE_SIZE, data_size = that - 8,
 * rounded down to 4 bytes here). Tracing starts disabled, with the event
 * mask TRACE_RING_MASK_ALL and every pCPU selected.
 *
 * Return: the rings, or NULL if @nr_cpus is 0, the data area is under
 * TRACE_RING_MIN_DATA or over TRACE_RING_MAX_DATA, or out of memory.
 */
struct trace_ring *trace_ring_create(unsigned int nr_cpus, size_t ring_bytes);

/* trace_ring_destroy() - free everything; NULL is accepted. */
void trace_ring_destroy(struct trace_ring *tr);

/* Install the high-water callback (NULL: none). */
void trace_ring_set_notify(struct trace_ring *tr, trace_ring_notify_fn fn,
			   void *ctx);

/* Install the "who runs here" callback (NULL: the idle domain, vCPU 0). */
void trace_ring_set_current(struct trace_ring *tr, trace_ring_current_fn fn,
			    void *ctx);

/*
 * trace_ring_write() - the producer: store one record stamped @tsc in
 * @cpu's ring. @event bits above TRC_EVENT_MASK are ignored; @n is the
 * number of words in @data, at most TRC_EXTRA_MAX. Never allocates, never
 * blocks; may call the notify callback.
 *
 * Xen's filter applies first: the record is dropped, uncounted, unless
 * tracing is enabled, @cpu is selected, and @event's class bits and its
 * sub-class bits both intersect the event mask.
 *
 * Return: 0 (stored or filtered out), -ENOSPC (lost: counted, announced
 * later), -EIO (a ring header is corrupt: tracing is now disabled on
 * every pCPU, see trace_ring_error(); the record may or may not have been
 * stored), -EINVAL (@cpu or @n out of range, a caller bug; not counted).
 */
int trace_ring_write(struct trace_ring *tr, unsigned int cpu, uint64_t tsc,
		     uint32_t event, size_t n, const uint32_t *data);

/*
 * trace_ring_write_lost_note() - if @cpu has lost records not yet
 * announced, write the LOST_RECORDS note now (stamped @tsc) if it fits,
 * without a record after it. For the end of a run, after a final drain.
 * Return: as trace_ring_write(); 0 also when nothing was pending.
 */
int trace_ring_write_lost_note(struct trace_ring *tr, unsigned int cpu,
			       uint64_t tsc);

/*
 * trace_ring_drain() - the consumer, as xentrace does it: read cons and
 * prod, hand the window [cons, prod) to @sink (in two pieces if it
 * wraps), then publish cons = prod. An empty ring calls nothing.
 *
 * Return: the number of bytes consumed, or -EIO if the header is corrupt
 * (tracing is then disabled everywhere; nothing is read).
 */
long trace_ring_drain(struct trace_ring *tr, unsigned int cpu,
		      trace_ring_sink_fn sink, void *ctx);

/*
 * trace_ring_enable() / trace_ring_disable() - start and stop tracing on
 * every pCPU. Disabling clears the pending lost-record counts, so no
 * phantom note appears after a later enable; records already in the rings
 * stay there for the consumer. Enabling after a corruption fails.
 * Return (enable): 0, or -EIO if a ring was found corrupt.
 */
int trace_ring_enable(struct trace_ring *tr);
void trace_ring_disable(struct trace_ring *tr);
bool trace_ring_enabled(const struct trace_ring *tr);

/* Xen's event mask (set_evt_mask); only class and sub-class bits count. */
void trace_ring_set_event_mask(struct trace_ring *tr, uint32_t mask);
uint32_t trace_ring_event_mask(const struct trace_ring *tr);

/* Select or deselect @cpu (Xen's set_cpu_mask, one pCPU at a time). */
void trace_ring_set_cpu(struct trace_ring *tr, unsigned int cpu, bool on);

/* Geometry and the shared header, for consumers and tests. */
unsigned int trace_ring_nr_cpus(const struct trace_ring *tr);
uint32_t trace_ring_data_size(const struct trace_ring *tr);
struct trace_ring_buf *trace_ring_buf(struct trace_ring *tr, unsigned int cpu);

/* Counters of @cpu, and totals over every pCPU (@cpu = -1u). */
void trace_ring_get_stats(const struct trace_ring *tr, unsigned int cpu,
			  struct trace_ring_stats *st);

/* The first corruption seen, or NULL if none. */
const struct trace_ring_error *trace_ring_error(const struct trace_ring *tr);

#endif /* HV_TRACE_RING_H */
