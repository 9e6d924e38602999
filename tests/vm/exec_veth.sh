#!/bin/bash
# faultsweep exec on an unmodified program: `ip link add fsv0 type veth peer
# name fsv1`, its netlink sendmsg swept to the end (N = 1.. until the fault no
# longer fires, confirmed), with `ip link del fsv0` as cleanup between runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
j="$out/journal.jsonl"

start=$(date +%s)
"$fs" exec --vm --out "$out" --timeout 30 --syscalls sendmsg --cleanup 'ip link del fsv0' \
	-- ip link add fsv0 type veth peer name fsv1 > "$out/stdout" 2> "$out/stderr"
rc=$?
cat "$out/stdout"
echo "exec --vm took $(( $(date +%s) - start )) s"
# 0, or 1 when the kernel printed a report on an error path (a real finding).
ok "exec exits 0 or 1 but exited $rc: $(tail -5 "$out/stderr")" '[ $rc = 0 ] || [ $rc = 1 ]'
ok "journal exists" '[ -s "$j" ]'

# The clean run trapped ip's netlink request(s), and each one was swept.
inv=$(q 'select(.type=="exec") | .invocations')
ok "the clean run trapped at least one sendmsg (got ${inv:-none})" '[ "${inv:-0}" -ge 1 ]'
calls=$(q 'select(.type=="exec") | .calls | unique | join(",")')
ok "only sendmsg was trapped (got $calls)" '[ "$calls" = sendmsg ]'
ncase=$(q 'select(.type=="case" and .area=="exec") | .case' | sort -u | wc -l)
ok "one case record per invocation ($ncase of $inv)" '[ "$ncase" = "$inv" ]'
bad=$(q 'select(.type=="case" and (.verdict=="BROK" or .verdict=="CONF")) | "\(.case): \(.reason)"')
ok "no invocation is BROK or skipped: $bad" '[ -z "$bad" ]'

# The netlink request that creates the pair: the invocation with the most points.
c=$(q 'select(.type=="case") | "\(.points) \(.case)"' | sort -n | tail -1 | cut -d' ' -f2)
pts=$(q "select(.type==\"case\" and .case==\"$c\") | .points")
ok "$c has several fault points (got $pts)" '[ "${pts:-0}" -ge 5 ]'
ns=$(q "select(.type==\"step\" and .case==\"$c\") | .nth" | tr '\n' ' ')
want=$(seq 1 $((pts + 1)) | tr '\n' ' ')
ok "$c steps are 1..points+1 without holes" '[ "$ns" = "$want" ]'
last=$(q "select(.type==\"step\" and .case==\"$c\") | select(.nth==$((pts + 1))) | .fired")
ok "$c ends at a step that did not fire (nth $((pts + 1)) fired=$last)" '[ "$last" = false ]'
nf=$(q "select(.type==\"step\" and .case==\"$c\" and .fired==true) | .nth" | wc -l)
ok "$c: every step before the last fired ($nf of $pts)" '[ "$nf" = "$pts" ]'
# ip reports the kernel's error: some faulted runs exit 2 with rtnetlink's message.
nerr=$(q "select(.type==\"step\" and .case==\"$c\" and .status==\"exit 2\") | .nth" | wc -l)
ok "$c: some faults make ip fail (exit 2: $nerr steps)" '[ "$nerr" -ge 1 ]'
ok "$c: ip's message is kept" \
	'[ -n "$(q "select(.type==\"step\" and .case==\"$c\") | .output" | grep -m1 RTNETLINK)" ]'
cs=$(q "select(.type==\"step\" and .case==\"$c\" and .nth==1) | .callsite | join(\" | \")")
ok "the call site names ip's netlink code: $cs" 'echo "$cs" | grep -q "rtnl_talk\|__rtnl_talk\|sendmsg"'
# Nothing leaked between runs: the clean run after the sweep's cleanups works,
# and the reports were made on the host from the journal.
ok "junit.xml written" '[ -s "$out/junit.xml" ]'
ok "summary.txt written" '[ -s "$out/summary.txt" ]'
vm_done
