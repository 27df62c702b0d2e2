/**
 * The worker's memory and the V8 heap limit it runs with, apart from the stack so the
 * benchmark (scripts/bench.ts) measures a plan under the same limit without loading the CDK.
 *
 * Node sizes V8's heap from the memory it sees (the smaller of the machine's and its cgroup's
 * limit, nodejs/node#27508): for a 1,024 MiB function, a quarter of it, 256 MiB. A plan of a
 * 10,000-service repository holds about 190 MiB once done and more while the head revision is
 * analysed; it runs out of heap at 256 MiB (`npm run bench`, docs/performance.md). So the worker
 * sets the limit itself: 384 MiB of heap leaves the rest of its 1,024 MiB to the young
 * generation, the code, and the two revisions' archives and files (about 60 MiB at 10,000
 * services). Larger repositories need both figures raised together.
 */
export const WORKER_MEMORY_MIB = 1024;
export const WORKER_HEAP_MIB = 384;
