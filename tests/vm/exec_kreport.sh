#!/bin/bash
# Kernel reports on the error paths an exec sweep drives are attributed to
# its steps through the step markers: `sh -c 'echo x > /proc/fs_planted'`
# with write(2) trapped reaches each planted bug of tests/modules/planted.
# The clean build of the module, swept the same way first, must give none.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out clean bugs

# One boot: the clean module's sweep, then the planted one's (an Oops pins it).
"$fs" vm -q --timeout 900 --out "$out" -- bash -c '
	fs=$1 out=$2 mods=$3
	insmod "$mods/fs_planted_clean.ko" && insmod "$mods/fs_planted.ko" || exit 9
	"$fs" exec -q --faults slab --syscalls write --timeout 20 --no-report --out "$out/clean" \
		--name clean -- sh -c "echo x > /proc/fs_planted_clean"
	echo "clean=$?"
	"$fs" exec -q --faults slab --syscalls write --timeout 20 --no-report --out "$out/bugs" \
		--name bugs -- sh -c "echo x > /proc/fs_planted"
	echo "bugs=$?"' guest "$fs" "$out" "$mods" > "$out/stdout" 2>&1
cat "$out/stdout" | tail -6
ok "the clean sweep exits 0" 'grep -q "^clean=0$" "$out/stdout"'
ok "the planted sweep exits 1" 'grep -q "^bugs=1$" "$out/stdout"'

j="$out/clean/journal.jsonl"
ok "clean: no kernel report" '[ -z "$(jq -r "select(.type==\"report\") | .title" "$j")" ]'
pts=$(jq -r 'select(.type=="case" and .case=="exec.clean.1.write") | .points' "$j")
ok "clean: the write was swept ($pts points)" '[ "${pts:-0}" -ge 10 ]'

j="$out/bugs/journal.jsonl"
c=exec.bugs.1.write
rep() { q "select(.type==\"report\" and .case==\"$c\" and .attribution==\"pid\" and ($1)) | .nth" | head -1; }
armed() { [ -n "$1" ] && [ "$(q "select(.type==\"step\" and .case==\"$c\" and .nth==$1) | .fired")" != false ]; }
uaf=$(rep '.title | test("KASAN: slab-use-after-free")')
df=$(rep '.title | test("KASAN: double-free")')
bug=$(rep '.title | test("NULL pointer dereference in planted_set_len")')
ok "KASAN use-after-free attributed by pid to an armed step (nth=$uaf)" 'armed "$uaf"'
ok "KASAN double-free attributed by pid to an armed step (nth=$df)" 'armed "$df"'
ok "the NULL dereference attributed by pid to an armed step (nth=$bug)" 'armed "$bug"'
ok "reports come in the planted order" '[ "${uaf:-0}" -lt "${df:-0}" ] && [ "${df:-0}" -lt "${bug:-0}" ]'
k=$(q "select(.type==\"step\" and .case==\"$c\" and .nth==${bug:-0}) | .findings[0].kind")
ok "the task the Oops killed is task-killed, not a user-crash ($k)" '[ "$k" = task-killed ]'
ok "the case is FAIL" '[ "$(q "select(.type==\"case\" and .case==\"$c\") | .verdict")" = FAIL ]'
last=$(q "select(.type==\"step\" and .case==\"$c\") | .nth" | sort -n | tail -1)
ok "the sweep went on past the Oops to a step that did not fire" \
	'[ "$(q "select(.type==\"step\" and .case==\"$c\" and .nth==$last) | .fired")" = false ] && [ "$last" -gt "${bug:-0}" ]'
vm_done
