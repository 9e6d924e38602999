#!/bin/bash
# Corpus scenarios through `faultsweep run` (docs/corpus.md): an exec
# scenario is swept by the exec engine after the cases, a scenario whose
# clean run fails is BROK with nothing swept, and `faultsweep module
# --exercise` sweeps a program's syscalls with the module loaded afresh for
# each run (here the clean planted module's /proc write: nothing to find).
#
# usage: scenarios.sh FAULTSWEEP OUTDIR MODULES_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out c x

cat > "$out/c/corpus" <<'EOC'
cases mkdir
scenario cat_version
    exec      cat /proc/version
    syscalls  openat
scenario clean_fails
    exec      sh -c "echo broken on purpose; exit 3"
EOC
start=$(date +%s)
"$fs" run --vm -q --faults slab --timeout 60 --out "$out/c" --corpus "$out/c/corpus" \
	> "$out/c/stdout" 2>&1
rc=$?
echo "corpus run: $(( $(date +%s) - start )) s, exit $rc"; tail -4 "$out/c/stdout"
j="$out/c/journal.jsonl"
ok "exit 5: a broken scenario, no FAIL (got $rc)" '[ "$rc" = 5 ]'
ok "the syscall case was swept" \
	'[ "$(q "select(.type==\"case\" and .case==\"mkdir\") | .verdict")" = PASS ]'
nk=$(q 'select(.type=="case" and (.case|startswith("exec.cat_version."))) | .case' | wc -l)
ok "cat_version: each trapped openat is a case ($nk)" '[ "$nk" -ge 2 ]'
ok "cat_version: the openat of /proc/version faulted (fired steps)" \
	'[ "$(q "select(.type==\"step\" and (.case|startswith(\"exec.cat_version.\")) and .fired==true) | .nth" | wc -l)" -ge 3 ]'
ok "cat_version: its sweeps reached their end" \
	'[ -z "$(q "select(.type==\"case\" and (.case|startswith(\"exec.cat_version.\")) and .verdict==\"BROK\") | .case")" ]'
ok "clean_fails: BROK, its output journaled, nothing swept" \
	'[ "$(q "select(.type==\"case\" and .case==\"exec.clean_fails\") | .verdict")" = BROK ] &&
	 grep -q "broken on purpose" "$j" &&
	 [ -z "$(q "select(.type==\"step\" and (.case|startswith(\"exec.clean_fails.\"))) | .nth")" ]'

# A module's exercise: insmod before each run, rmmod after.
start=$(date +%s)
"$fs" module --vm -q --faults slab --timeout 60 --out "$out/x" --syscalls write \
	--exercise "sh -c 'echo x > /proc/fs_planted_clean'" "$mods/fs_planted_clean.ko" \
	> "$out/x/stdout" 2>&1
rc=$?
echo "module exercise: $(( $(date +%s) - start )) s, exit $rc"; tail -4 "$out/x/stdout"
j="$out/x/journal.jsonl"
ok "module --exercise on the clean module: exit 0 (got $rc)" '[ "$rc" = 0 ]'
xs=$(q 'select(.type=="step" and (.case|startswith("module.module_fs_planted_clean_exercise.")) and .fired==true) | .nth' | wc -l)
ok "the exercise's write to /proc/fs_planted_clean was swept ($xs fired steps)" '[ "$xs" -ge 3 ]'
ok "the load and unload cases ran too" \
	'[ "$(q "select(.type==\"case\" and (.case|test(\"^module_fs_planted_clean_(load|unload)$\"))) | .verdict" | sort -u)" = PASS ]'
vm_done
