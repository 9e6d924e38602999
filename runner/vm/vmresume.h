/* Recording a guest kernel's death against the step in flight, so `run --vm` can resume. */
#ifndef FS_VMRESUME_H
#define FS_VMRESUME_H

/**
 * vmr_record_crash() - after the VM of `run --vm` ended with @rc (a
 * FS_EXIT_VM_* code), journal into @out/journal.jsonl a FAIL step for the
 * step in flight: the step after the last journaled one of the unfinished
 * case whose worker pid printed the panic (from @console), else of the
 * unfinished case that journaled last; plus a "report" record with the
 * panic text. Returns 0, or -ENOENT when no case was in flight.
 */
int vmr_record_crash(const char *out, int rc, const char *console);

#endif
