#ifndef NETAIO_CPREFETCH_H
#define NETAIO_CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` (for reading, into all cache
/// levels). A hint: it never faults, whatever the address, and changes nothing a program
/// can observe but timing. Swift has no prefetch intrinsic; a static inline function in a
/// header is inlined into Swift callers.
static inline void netaio_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
