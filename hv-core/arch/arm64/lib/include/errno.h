/* Freestanding errno values for the arm64 image: Linux's numbers, so the
 * core's negative-errno returns mean the same on both ports. */
#ifndef HV_ARM64_ERRNO_H
#define HV_ARM64_ERRNO_H
#define ENOENT 2
#define EIO 5
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define ENODEV 19
#define EEXIST 17
#define EINVAL 22
#define EFBIG 27
#define ENOSPC 28
#define ERANGE 34
#define EAGAIN 11
#define ENOSYS 38
#define ENODATA 61
#define EOVERFLOW 75
#endif
