/**
 * The worker's memory and the V8 heap limit it runs with, apart from the stack so the
 * benchmark (scripts/bench.ts) measures a plan under the same limit without loading the CDK.
 *
 * Node sizes V8's heap from the memory it sees (the smaller of the machine's and its cgroup's
 * limit, nodejs/node#27508): for a 1,024 MiB function, a quarter of it, 256 MiB. A plan of a
 * 10,000-service repository holds about 170 MiB once done and up to about 230 MiB while the
 * head revision is analysed, and runs out of heap at 256 MiB. So the worker sets the limit
 * itself: at 352 MiB the 10,000-service plan runs as fast as with no limit and the whole
 * process stays under 512 MB (docs/performance.md), while the rest of the 1,024 MiB holds the
 * young generation, the code, and the two revisions' archives and files. A 12,500-service
 * plan still completes within it, collecting more often; for larger repositories raise both
 * figures together.
 */
export const WORKER_MEMORY_MIB = 1024;
export const WORKER_HEAP_MIB = 352;
