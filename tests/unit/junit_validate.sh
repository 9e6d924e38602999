#!/bin/bash
# Validates `faultsweep report` output against Jenkins' junit-10.xsd: a normal
# journal, one with ESC bytes and invalid UTF-8, one of 10,000 testcases; and
# its exit codes for bad input.
# usage: junit_validate.sh REPORT_TOOL SCHEMA WORKDIR   (exit 77: skipped)
set -euo pipefail

report=$1 schema=$2 work=$3
fails=0 passes=0

if [ ! -f "$schema" ]; then
	echo "SKIP: schema $schema not found (CI clones shared/ beside the repository)"
	exit 77
fi
if ! command -v xmllint >/dev/null; then
	echo "SKIP: xmllint not installed (apt-get install libxml2-utils)"
	exit 77
fi

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

validate() {
	if xmllint --noout --schema "$schema" "$1" 2>"$work/xmllint.err"; then
		ok
	else
		bad "$1 does not validate:"; head -20 "$work/xmllint.err" >&2
	fi
}

rm -rf "$work"
mkdir -p "$work/normal" "$work/esc" "$work/big" "$work/kreports"

# (a) A normal journal: PASS, FAIL, BROK steps, a CONF case before any step, a cut last line.
cat >"$work/normal/journal.jsonl" <<'EOF'
{"type":"run","run":"r1","version":"0.1","kernel":"6.9.0","faults":"slab","jobs":2,"cases":3,"ts":1700000000000}
{"type":"step","run":"r1","case":"pipe2","area":"fd","nth":1,"fired":true,"ret":-1,"errno":12,"errno_name":"ENOMEM","verdict":"PASS","findings":[],"swallowed":false,"fd_leak":false,"pid":7,"t_ms":0.412,"ts":1700000000100}
{"type":"step","run":"r1","case":"pipe2","area":"fd","nth":2,"fired":true,"ret":3,"errno":0,"errno_name":"","verdict":"FAIL","findings":[{"kind":"fd-leak","title":"fd-leak: pipe2 leaks an fd after a failed call"}],"swallowed":false,"fd_leak":true,"retry_ret":-1,"retry_errno_name":"EMFILE","pid":7,"t_ms":0.5,"ts":1700000000200}
{"type":"step","run":"r1","case":"socketpair_unix_stream","area":"net","nth":1,"verdict":"BROK","reason":"setup failed without a fault","findings":[],"t_ms":12}
{"type":"case","run":"r1","case":"pipe2","area":"fd","verdict":"FAIL","points":2,"steps":2,"nondeterministic":false}
{"type":"case","case":"io_uring_setup","area":"io","verdict":"CONF","reason":"CONFIG_IO_URING is not set in this kernel"}
{"type":"step","run":"r1","case":"pipe2","area":"fd","nth":3,"fir
EOF
"$report" report --out "$work/normal" "$work/normal/journal.jsonl" >"$work/normal/out.txt" 2>&1 ||
	bad "report on the normal journal: $(cat "$work/normal/out.txt")"
grep -q 'journal.jsonl:7: cut record skipped' "$work/normal/out.txt" ||
	bad "no warning naming the cut line: $(cat "$work/normal/out.txt")"
validate "$work/normal/junit.xml"
"$report" report --junit-collapse --out "$work/normal/collapsed" "$work/normal/journal.jsonl" \
	>/dev/null 2>&1 || bad "report --junit-collapse"
validate "$work/normal/collapsed/junit.xml"

# (b) ESC bytes, BEL and NUL (escaped, as JSON has them) and invalid UTF-8 (raw, as an older
# journal or a program's output may hold it) in titles, reasons and report texts; a line that
# is no JSON (a raw control byte, a lone surrogate) is skipped with a warning.
{
	printf '{"type":"step","case":"madvise\\u001b[1m","area":"mm\377","nth":1,"verdict":"FAIL",'
	printf '"findings":[{"kind":"kasan\\u001b","title":"KASAN: slab-out-of-bounds \\u001b[31min\\u001b[0m \300\200 \355\240\200"}],'
	printf '"reports":[{"kind":"kasan","title":"t\\u001b","guilty":"foo_release [planted\\u001b]","site":"f+0x1/0x2\\u0000",'
	printf '"raw":"BUG: KASAN\\u001b[0m\\u0007\\u0000 \\ud83d\\ude00 \\u001b \376\\r\\nCall Trace:\\n ]]> </system-out> &amp;"}]}\n'
	printf '{"type":"step","case":"prctl","area":"mm","nth":1,"verdict":"BROK","reason":"bad \\u001b \\u0007 reason \377"}\n'
	printf '{"type":"case","case":"raw_esc","area":"proc","verdict":"CONF","reason":"raw \033 and \\ud800"}\n'
	printf '{"type":"case","case":"clone3","area":"proc","verdict":"CONF","reason":"ENOSYS \\u001b[0m"}\n'
} >"$work/esc/journal.jsonl"
"$report" report "$work/esc/journal.jsonl" >"$work/esc/out.txt" 2>&1 ||
	bad "report on the ESC journal: $(cat "$work/esc/out.txt")"
grep -q 'journal.jsonl:3: garbled record skipped' "$work/esc/out.txt" ||
	bad "no warning naming the line that is no JSON: $(cat "$work/esc/out.txt")"
validate "$work/esc/junit.xml"
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$work/esc/junit.xml"; then
	bad "control bytes left in $work/esc/junit.xml"
else
	ok
fi
iconv -f UTF-8 -t UTF-8 "$work/esc/junit.xml" >/dev/null 2>&1 && ok || bad "invalid UTF-8 in $work/esc/junit.xml"

# (d) Kernel reports as records: attached to a PASS step, of the case as a whole, of no case,
# of a lost step; a step journaled after a kernel panic (no errno, no ret); a kmsg gap.
cat >"$work/kreports/journal.jsonl" <<'EOF'
{"type":"run","run":"r1","version":"0.2","kernel":"6.9.0","faults":"slab","jobs":1,"cases":1,"ts":1700000000000}
{"type":"step","run":"r1","case":"socketpair_unix_stream","area":"net","nth":5,"fired":true,"ret":-1,"errno":12,"errno_name":"ENOMEM","verdict":"PASS","findings":[],"t_ms":0.3,"ts":1700000000100}
{"type":"report","run":"r1","case":"socketpair_unix_stream","area":"net","nth":5,"attribution":"pid","kind":"KASAN","title":"KASAN: slab-use-after-free Read in foo","guilty":"foo_release [planted]","file":"net/foo.c","line":12,"bug_type":"slab-use-after-free","pid":123,"comm":"faultsweep","seq":4567,"complete":true,"panicked":false,"raw":"BUG: KASAN: slab-use-after-free in foo\u001b[0m\nCall Trace:\n"}
{"type":"report","run":"r1","case":"socketpair_unix_stream","area":"net","nth":0,"attribution":"case","kind":"taint","title":"kernel tainted (0x20) with no report in socketpair_unix_stream","taint":32}
{"type":"report","run":"r1","case":"","area":"","nth":0,"attribution":"none","kind":"memory-leak","title":"memory leak in bar","raw":"unreferenced object 0xffff888004\n"}
{"type":"report","run":"r1","case":"socketpair_unix_stream","area":"net","nth":9,"attribution":"time","kind":"Oops","title":"Oops in baz","raw":"Oops: 0000 ]]> &amp;"}
{"type":"kmsg-gap","run":"r1","note":"the kernel log ring overran: records were lost before they were read"}
{"type":"step","case":"socketpair_unix_stream","area":"net","nth":6,"fired":true,"verdict":"FAIL","findings":[{"kind":"kernel-panic","title":"kernel-panic: Kernel panic - not syncing: planted"}],"reason":"the kernel died during this step; the sweep resumed in a new VM","console":"/out/console.crash1.log","ts":1700000000900}
{"type":"report","case":"socketpair_unix_stream","area":"net","nth":6,"attribution":"pid","kind":"panic","title":"Kernel panic - not syncing: planted","guilty":"foo","pid":5,"panicked":true,"raw":"Kernel panic - not syncing: planted\n"}
{"type":"case","run":"r1","case":"socketpair_unix_stream","area":"net","verdict":"FAIL","points":9,"steps":6,"kernel_reports":4}
EOF
"$report" report "$work/kreports/journal.jsonl" >"$work/kreports/out.txt" 2>&1 ||
	bad "report on the kernel-report journal: $(cat "$work/kreports/out.txt")"
validate "$work/kreports/junit.xml"
n=$(grep -c '<failure ' "$work/kreports/junit.xml" || true)
[ "$n" = 5 ] && ok || bad "$n failures in the kernel-report journal, want 5"
grep -q 'name="faultsweep.kmsg-gaps"' "$work/kreports/junit.xml" && ok || bad "no kmsg-gaps property"
"$report" report --junit-collapse --out "$work/kreports/collapsed" "$work/kreports/journal.jsonl" \
	>/dev/null 2>&1 || bad "report --junit-collapse on the kernel-report journal"
validate "$work/kreports/collapsed/junit.xml"

# (c) 10,000 testcases: 100 cases of 100 steps in 5 areas, some failing.
awk 'BEGIN {
	split("fs fd net ipc mm", area, " ")
	for (c = 0; c < 100; c++)
		for (n = 1; n <= 100; n++) {
			v = (n % 37 == 0) ? "FAIL" : (n % 53 == 0) ? "BROK" : "PASS"
			f = v == "FAIL" ? "{\"kind\":\"unexpected-errno\",\"title\":\"unexpected-errno: case" c " EINVAL\"}" : ""
			printf "{\"type\":\"step\",\"run\":\"r\",\"case\":\"case%d\",\"area\":\"%s\",\"nth\":%d,\"fired\":true,\"ret\":-1,\"errno\":12,\"errno_name\":\"ENOMEM\",\"verdict\":\"%s\",\"findings\":[%s],\"reason\":\"%s\",\"t_ms\":%.3f}\n",
				c, area[c % 5 + 1], n, v, f, v == "BROK" ? "broke" : "", n / 7.0
		}
}' >"$work/big/journal.jsonl"
"$report" report "$work/big/journal.jsonl" >/dev/null || bad "report on the big journal"
validate "$work/big/junit.xml"
n=$(grep -c '<testcase ' "$work/big/junit.xml" || true)
[ "$n" = 10000 ] && ok || bad "$n testcases in the big report, want 10000"

# Exit codes: 2 for bad input or options, 6 when the report cannot be written.
expect() {
	local want=$1 what=$2 rc=0
	shift 2
	"$report" report "$@" >"$work/rc.out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, want $want: $(cat "$work/rc.out")"; fi
}
expect 2 "no journal"
expect 2 "unknown option" --bogus "$work/normal/journal.jsonl"
expect 2 "missing journal" "$work/missing.jsonl"
grep -q "missing.jsonl" "$work/rc.out" && ok || bad "the message does not name the file"
: >"$work/empty.jsonl"
expect 2 "empty journal" "$work/empty.jsonl"
expect 2 "a directory" "$work/normal"
expect 6 "unwritable --out" --out "$work/normal/journal.jsonl/sub" "$work/normal/journal.jsonl"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
