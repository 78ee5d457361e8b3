// The module is its header (CPrefetch.h); SwiftPM wants one source file per C target.
#include "CPrefetch.h"
