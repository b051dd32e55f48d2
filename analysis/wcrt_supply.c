/*
 * Supply bound functions and their exact inverses.
 *
 * Design: two evaluators cover every kind.
 *
 * 1. The EDP core (Easwaran, Anand & Lee, RTSS 2007). Omega(P, B, D)
 *    supplies B units within D of each period start. Its worst case starts
 *    right after a supply that came as early as possible, followed by one
 *    that comes as late as possible: a blackout x = P + D - 2B. With
 *    y = floor((t - (D - B)) / P):
 *
 *        sbf(t) = y*B + max(0, t - x - y*P)   for t >= D - B, else 0.
 *
 *    The inverse follows from writing w = k*B + rem, k = ceil(w/B) - 1,
 *    0 < rem <= B (k full budgets, then rem units of the next one):
 *
 *        tbf(w) = x + k*P + rem = w + x + k*(P - B).
 *
 *    D = P is Shin & Lee's PRM (x = 2(P - B), tbf(w) = w + (P - B)(1 +
 *    ceil(w/B)), the closed form of RTSS 2003), and D = B = P - O is a
 *    pCPU losing O every P to a periodic interference (x = O). An admitted
 *    RTDS vCPU is PRM(P, B) (why that is safe: wcrt_rtds.c).
 *
 * 2. The window table of an ARINC 653 partition (period M, windows of
 *    total length S). Over a start s, the supply in [s, s + t) is smallest
 *    when s is the end of a window: from inside a window, moving s to the
 *    window's end loses supply at the front at rate 1 and gains at most 1
 *    at the back; from inside a gap, moving s back to the gap's start
 *    gains nothing at the front. So with e_k the end of window k:
 *
 *        sbf(t) = floor(t/M)*S + min_k supply(e_k, t mod M)
 *
 *    (sbf(t + M) = sbf(t) + S). Dually sbf(t) >= w holds iff EVERY start
 *    has accumulated w, so the inverse is exact without a search:
 *
 *        tbf(w) = q*M + max_k reach(e_k, w - q*S),  q = ceil(w/S) - 1,
 *
 *    where reach(e, v) (0 < v <= S) walks the windows after e until v
 *    units are collected. Both cost O(n^2) for n windows (n <= 64).
 *
 * Every kind also has a linear lower bound (bandwidth, delay) used for
 * EDF horizons; for windows the delay is the largest r - supply(e_k, r)/a
 * over window starts r, found in the same walk.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_private.h"
#include "analysis/wcrt_supply.h"
#include "scenario/scenario.h"

static void set_reason(struct supply *s, const char *why)
{
	snprintf(s->reason, sizeof(s->reason), "%s", why ? why : "");
}

/* Shared setup of every EDP-evaluated kind. */
static void edp_setup(struct supply *s, enum supply_kind kind, hv_time_t p,
		      hv_time_t b, hv_time_t d)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->period = p;
	s->budget = b;
	s->deadline = d;
	s->guaranteed = b > 0;
	s->lin_num = b;
	s->lin_den = p;
	s->lin_delay = b > 0 ? (p - b) + (d - b) : HV_TIME_NEVER;
}

int supply_init_dedicated(struct supply *s, hv_time_t overhead,
			  hv_time_t period)
{
	if (overhead == 0 && period == 0) {
		edp_setup(s, SUPPLY_DEDICATED, 1, 1, 1);
		return 0;
	}
	if (overhead < 0 || period <= 0 || overhead >= period ||
	    period > WCRT_TIME_MAX)
		return -EINVAL;
	edp_setup(s, SUPPLY_DEDICATED, period, period - overhead,
		  period - overhead);
	s->overhead = overhead;
	return 0;
}

int supply_init_prm(struct supply *s, hv_time_t period, hv_time_t budget)
{
	int rc = supply_init_edp(s, period, budget, period);

	if (!rc)
		s->kind = SUPPLY_PRM;
	return rc;
}

int supply_init_edp(struct supply *s, hv_time_t period, hv_time_t budget,
		    hv_time_t deadline)
{
	if (period <= 0 || period > WCRT_TIME_MAX || budget < 0 ||
	    budget > deadline || deadline > period)
		return -EINVAL;
	edp_setup(s, SUPPLY_EDP, period, budget, deadline);
	if (!budget)
		set_reason(s, "zero budget");
	return 0;
}

int supply_init_deferrable(struct supply *s, hv_time_t period, hv_time_t budget,
			   bool admitted, const char *note)
{
	if (period <= 0 || period > WCRT_TIME_MAX || budget <= 0 ||
	    budget > period)
		return -EINVAL;
	edp_setup(s, SUPPLY_DEFERRABLE_SERVER, period, budget, period);
	s->guaranteed = admitted;
	set_reason(s, note);
	return 0;
}

int supply_init_none(struct supply *s, const char *reason)
{
	memset(s, 0, sizeof(*s));
	s->kind = SUPPLY_NONE;
	set_reason(s, reason ? reason : "no guaranteed supply");
	return 0;
}

/* Relative start of window j seen from the end of window k. */
static hv_time_t win_rel_start(const struct supply *s, size_t k, size_t j)
{
	hv_time_t e = s->windows[k].offset + s->windows[k].len;
	hv_time_t rel = s->windows[j].offset - e;

	return rel < 0 ? rel + s->major_frame : rel;
}

/* Supply in [e_k, e_k + r), 0 <= r <= M. */
static hv_time_t win_supply_from(const struct supply *s, size_t k, hv_time_t r)
{
	hv_time_t got = 0;

	for (size_t step = 1; step <= s->nr_windows; step++) {
		size_t j = (k + step) % s->nr_windows;
		hv_time_t start = win_rel_start(s, k, j);

		if (start >= r)
			break;
		got += wcrt_min(s->windows[j].len, r - start);
	}
	return got;
}

/* Least r with supply(e_k, r) >= v, for 0 < v <= S. */
static hv_time_t win_reach(const struct supply *s, size_t k, hv_time_t v)
{
	hv_time_t got = 0;

	for (size_t step = 1; step <= s->nr_windows; step++) {
		size_t j = (k + step) % s->nr_windows;

		if (got + s->windows[j].len >= v)
			return win_rel_start(s, k, j) + (v - got);
		got += s->windows[j].len;
	}
	return s->major_frame; /* not reached for v <= S */
}

/*
 * Delay of the linear bound (S/M)(t - delay): t - supply(e_k, t) * M/S is
 * largest at the start of a window (it grows through gaps and shrinks
 * through windows), so only window starts seen from each e_k are tried.
 */
static hv_time_t win_linear_delay(const struct supply *s)
{
	__int128 worst = 0;

	for (size_t k = 0; k < s->nr_windows; k++) {
		hv_time_t got = 0;

		for (size_t step = 1; step <= s->nr_windows; step++) {
			size_t j = (k + step) % s->nr_windows;
			__int128 v =
			    (__int128)win_rel_start(s, k, j) * s->total -
			    (__int128)got * s->major_frame;

			if (v > worst)
				worst = v;
			got += s->windows[j].len;
		}
	}
	return (hv_time_t)((worst + s->total - 1) / s->total);
}

int supply_init_windows(struct supply *s, hv_time_t major_frame,
			const struct supply_window *w, size_t n)
{
	if (major_frame <= 0 || major_frame > WCRT_TIME_MAX ||
	    n > SUPPLY_MAX_WINDOWS || (n && !w))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->kind = SUPPLY_WINDOWS;
	s->major_frame = major_frame;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		if (w[i].offset < 0 || w[i].len <= 0 ||
		    w[i].offset > major_frame - w[i].len)
			return -EINVAL;
		/* Insertion sort by offset. */
		while (j > 0 && s->windows[j - 1].offset > w[i].offset) {
			s->windows[j] = s->windows[j - 1];
			j--;
		}
		s->windows[j] = w[i];
	}
	s->nr_windows = n;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && s->windows[i].offset + s->windows[i].len >
				     s->windows[i + 1].offset)
			return -EINVAL;
		s->total += s->windows[i].len;
	}
	s->guaranteed = n > 0;
	if (!n) {
		set_reason(s, "the partition has no window in the major frame");
		return 0;
	}
	s->lin_num = s->total;
	s->lin_den = major_frame;
	s->lin_delay = win_linear_delay(s);
	return 0;
}

static hv_time_t edp_sbf(const struct supply *s, hv_time_t t)
{
	hv_time_t p = s->period, b = s->budget, d = s->deadline;
	hv_time_t x = (p - b) + (d - b), y;

	if (t < d - b)
		return 0;
	y = (t - (d - b)) / p;
	return y * b + wcrt_max(0, t - x - y * p);
}

static enum wcrt_status edp_tbf(const struct supply *s, hv_time_t w,
				hv_time_t *out)
{
	hv_time_t p = s->period, b = s->budget, d = s->deadline;
	hv_time_t k = (w - 1) / b, rem = w - k * b, t;

	if (!wcrt_mul(k, p, &t) || !wcrt_add(t, (p - b) + (d - b), &t) ||
	    !wcrt_add(t, rem, &t)) {
		*out = HV_TIME_NEVER;
		return WCRT_OVERFLOW;
	}
	*out = t;
	return WCRT_OK;
}

static hv_time_t win_sbf(const struct supply *s, hv_time_t t)
{
	hv_time_t r = t % s->major_frame, least = r;

	for (size_t k = 0; k < s->nr_windows; k++)
		least = wcrt_min(least, win_supply_from(s, k, r));
	return (t / s->major_frame) * s->total + least;
}

static enum wcrt_status win_tbf(const struct supply *s, hv_time_t w,
				hv_time_t *out)
{
	hv_time_t q = (w - 1) / s->total, v = w - q * s->total, r = 0, t;

	for (size_t k = 0; k < s->nr_windows; k++)
		r = wcrt_max(r, win_reach(s, k, v));
	if (!wcrt_mul(q, s->major_frame, &t) || !wcrt_add(t, r, &t)) {
		*out = HV_TIME_NEVER;
		return WCRT_OVERFLOW;
	}
	*out = t;
	return WCRT_OK;
}

bool supply_guaranteed(const struct supply *s)
{
	return s->kind != SUPPLY_NONE && s->guaranteed;
}

enum wcrt_status supply_sbf(const struct supply *s, hv_time_t t, hv_time_t *out)
{
	*out = 0;
	if (!supply_guaranteed(s))
		return WCRT_NO_SUPPLY;
	if (t <= 0)
		return WCRT_OK;
	*out = s->kind == SUPPLY_WINDOWS ? win_sbf(s, t) : edp_sbf(s, t);
	return WCRT_OK;
}

enum wcrt_status supply_tbf(const struct supply *s, hv_time_t w, hv_time_t *out)
{
	if (!supply_guaranteed(s)) {
		*out = HV_TIME_NEVER;
		return WCRT_NO_SUPPLY;
	}
	if (w <= 0) {
		*out = 0;
		return WCRT_OK;
	}
	return s->kind == SUPPLY_WINDOWS ? win_tbf(s, w, out)
					 : edp_tbf(s, w, out);
}

enum wcrt_status supply_linear(const struct supply *s, hv_time_t *num,
			       hv_time_t *den, hv_time_t *delay)
{
	if (!supply_guaranteed(s)) {
		*num = 0;
		*den = 1;
		*delay = HV_TIME_NEVER;
		return WCRT_NO_SUPPLY;
	}
	*num = s->lin_num;
	*den = s->lin_den;
	*delay = s->lin_delay;
	return WCRT_OK;
}

const char *supply_reason(const struct supply *s)
{
	return s->reason;
}

const char *supply_kind_name(enum supply_kind kind)
{
	switch (kind) {
	case SUPPLY_NONE: return "none";
	case SUPPLY_DEDICATED: return "dedicated";
	case SUPPLY_PRM: return "prm";
	case SUPPLY_EDP: return "edp";
	case SUPPLY_DEFERRABLE_SERVER: return "rtds";
	case SUPPLY_WINDOWS: return "windows";
	}
	return "unknown";
}

static int describe_windows(const struct supply *s, char *buf, size_t len)
{
	char each[32], total[32], frame[32];
	bool same = true;

	scn_format_time(s->major_frame, frame, sizeof(frame));
	if (!s->nr_windows)
		return snprintf(buf, len, "ARINC653 windows: none in %s",
				frame);
	for (size_t i = 1; i < s->nr_windows; i++)
		same = same && s->windows[i].len == s->windows[0].len;
	scn_format_time(s->windows[0].len, each, sizeof(each));
	scn_format_time(s->total, total, sizeof(total));
	if (same)
		return snprintf(buf, len, "ARINC653 windows: %zu x %s in %s",
				s->nr_windows, each, frame);
	return snprintf(buf, len, "ARINC653 windows: %zu windows, %s in %s",
			s->nr_windows, total, frame);
}

int supply_describe(const struct supply *s, char *buf, size_t len)
{
	char p[32], b[32], d[32];

	scn_format_time(s->period, p, sizeof(p));
	scn_format_time(s->budget, b, sizeof(b));
	scn_format_time(s->deadline, d, sizeof(d));
	switch (s->kind) {
	case SUPPLY_NONE:
		return snprintf(buf, len, "no guaranteed supply: %s",
				s->reason);
	case SUPPLY_DEDICATED:
		if (!s->overhead)
			return snprintf(buf, len, "dedicated pCPU");
		scn_format_time(s->overhead, b, sizeof(b));
		return snprintf(buf, len, "dedicated pCPU less %s every %s", b,
				p);
	case SUPPLY_PRM:
		if (!s->guaranteed)
			return snprintf(buf, len,
					"PRM(period %s, budget 0): no "
					"guaranteed supply",
					p);
		return snprintf(buf, len, "PRM(period %s, budget %s)", p, b);
	case SUPPLY_EDP:
		return snprintf(
		    buf, len, "EDP(period %s, budget %s, deadline %s)%s", p, b,
		    d, s->guaranteed ? "" : ": no guaranteed supply");
	case SUPPLY_DEFERRABLE_SERVER:
		if (!s->guaranteed)
			return snprintf(buf, len,
					"RTDS vCPU (period %s, budget %s): no "
					"guaranteed supply: %s",
					p, b, s->reason);
		return snprintf(buf, len,
				"RTDS vCPU (period %s, budget %s) as PRM(%s, "
				"%s); %s",
				p, b, p, b, s->reason);
	case SUPPLY_WINDOWS: return describe_windows(s, buf, len);
	}
	return snprintf(buf, len, "unknown supply");
}
