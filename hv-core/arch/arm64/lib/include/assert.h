/* assert() in the hypervisor: a failed assertion is a hypervisor bug, so
 * it panics with the place (the run ends with HV_EXIT_PANIC). */
#ifndef HV_ARM64_ASSERT_H
#define HV_ARM64_ASSERT_H
_Noreturn void hv_assert_fail(const char *expr, const char *file, int line);
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : hv_assert_fail(#e, __FILE__, __LINE__))
#endif
#define static_assert _Static_assert
#endif
